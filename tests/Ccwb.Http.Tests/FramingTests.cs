using System.Text;
using Ccwb.Http.Tests.Support;

namespace Ccwb.Http.Tests;

/// <summary>
/// Reading responses (RFC 9112) from a server that writes exact bytes: every body framing, interim answers, and the
/// malformed or hostile answers that must end in an error rather than a wrong or partial body.
/// </summary>
public class FramingTests
{
    private static HttpResponse Exchange(string answer)
    {
        using var server = ScriptedServer.Answering(answer);
        return Connection.Get($"http://127.0.0.1:{server.Port}/");
    }

    private static HttpTransportException Failure(string answer)
    {
        using var server = ScriptedServer.Answering(answer);
        return Assert.Throws<HttpTransportException>(() => Connection.Get($"http://127.0.0.1:{server.Port}/"));
    }

    /// <summary>A server that writes <paramref name="answer"/> and then keeps the connection open without a byte more.</summary>
    private static ScriptedServer AnsweringAndHolding(string answer) => new(async (stream, cancel) =>
    {
        await ReceivedRequest.ReadAsync(stream, cancel);
        await stream.WriteAsync(Encoding.Latin1.GetBytes(answer), cancel);
        await Task.Delay(Timeout.Infinite, cancel);
    });

    [Fact]
    public void A_Content_Length_body_is_read_exactly_without_waiting_for_the_connection_to_close()
    {
        using var server = AnsweringAndHolding("HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-Request-Id: 7\r\n\r\nhello world");

        var response = Connection.Get($"http://127.0.0.1:{server.Port}/");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("OK", response.ReasonPhrase);
        Assert.Equal("hello world", response.BodyText);
        Assert.Equal("7", response.Header("X-Request-Id"));
    }

    [Fact]
    public void A_chunked_body_with_extensions_and_trailers_is_joined()
    {
        using var server = AnsweringAndHolding("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                               "4;name=value\r\nWiki\r\n" + "5 ; quoted=\"a;b\"\r\npedia\r\n" + "E\r\n in\r\n\r\nchunks.\r\n" +
                                               "0;last\r\nExpires: never\r\nX-Trailer: yes\r\n\r\n");

        var response = Connection.Get($"http://127.0.0.1:{server.Port}/");

        Assert.Equal("Wikipedia in\r\n\r\nchunks.", response.BodyText);
    }

    [Fact]
    public void Chunk_sizes_are_hexadecimal_in_either_case()
    {
        var chunk = new string('x', 0x1aF);
        var response = Exchange($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1aF\r\n{chunk}\r\n0\r\n\r\n");

        Assert.Equal(chunk, response.BodyText);
    }

    [Fact]
    public void Transfer_Encoding_chunked_wins_over_Content_Length()
    {
        // RFC 9112 §6.3: a message with both is framed by Transfer-Encoding (the classic smuggling ambiguity).
        var response = Exchange("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nchunks\r\n0\r\n\r\n");

        Assert.Equal("chunks", response.BodyText);
    }

    [Fact]
    public void A_body_without_length_or_chunking_is_read_until_the_server_closes()
    {
        var response = Exchange("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"read\":\"to close\"}");

        Assert.Equal("{\"read\":\"to close\"}", response.BodyText);
        Assert.Equal("application/json", response.MediaType);
    }

    [Fact]
    public void Interim_100_Continue_answers_are_skipped_before_the_real_answer()
    {
        var response = Exchange("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX-Interim: 1\r\n\r\n" +
                                "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone");

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("done", response.BodyText);
        Assert.Null(response.Header("X-Interim"));
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", 204)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n", 304)]
    public void A_204_or_304_has_no_body_even_if_the_connection_stays_open(string answer, int status)
    {
        using var server = AnsweringAndHolding(answer);

        var response = Connection.Get($"http://127.0.0.1:{server.Port}/");

        Assert.Equal(status, response.StatusCode);
        Assert.Empty(response.Body);
    }

    [Fact]
    public void An_HTTP_1_0_answer_is_read()
    {
        var response = Exchange("HTTP/1.0 200 OK\r\n\r\nold");

        Assert.Equal("old", response.BodyText);
    }

    [Fact]
    public void A_status_line_without_a_reason_phrase_is_accepted()
    {
        var response = Exchange("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("", response.ReasonPhrase);
        Assert.False(response.IsSuccess);
    }

    [Fact]
    public void Header_names_are_compared_case_insensitively()
    {
        var response = Exchange("HTTP/1.1 200 OK\r\ncontent-LENGTH: 2\r\n" +
                                "x-amzn-requestid: abc\r\nCONTENT-TYPE: text/xml; charset=utf-8\r\n\r\nokIGNORED");

        Assert.Equal("ok", response.BodyText);
        Assert.Equal("abc", response.Header("X-Amzn-RequestId"));
        Assert.Equal("text/xml", response.MediaType);
    }

    [Fact]
    public void Lines_ending_in_a_bare_LF_are_read()
    {
        var response = Exchange("HTTP/1.1 200 OK\nContent-Length: 2\n\nok");

        Assert.Equal("ok", response.BodyText);
    }

    [Fact]
    public void A_truncated_Content_Length_body_is_an_error_not_a_short_body()
    {
        var error = Failure("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this much");

        Assert.Equal("the connection closed before the whole answer arrived.", error.Message);
    }

    [Theory]
    [InlineData("5\r\nab")]                       // inside a chunk
    [InlineData("5\r\nabcde\r\n")]                // between chunks: no last chunk
    [InlineData("5\r\nabcde\r\n0\r\n")]           // last chunk without the empty line after the trailers
    [InlineData("")]                              // before the first chunk size
    public void A_truncated_chunked_body_is_an_error_not_a_short_body(string chunks)
    {
        var error = Failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);

        Assert.StartsWith("the connection closed ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zz\r\n", "the server sent a malformed chunk size 'zz'.")]
    [InlineData("-5\r\nabcde\r\n0\r\n\r\n", "the server sent a malformed chunk size '-5'.")]
    [InlineData("100000000\r\n", "the server sent a malformed chunk size '100000000'.")]
    [InlineData("FFFFFFFF\r\n", "the server sent a malformed chunk size 'FFFFFFFF'.")]
    [InlineData("3\r\nabcd\r\n0\r\n\r\n", "the server sent a chunk longer than its declared size.")]
    [InlineData("3\r\nabcdef\r\n0\r\n\r\n", "the server sent an over-long line in its answer.")]
    public void A_malformed_chunk_is_an_error(string chunks, string message)
    {
        var error = Failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void An_unsupported_transfer_coding_is_an_error()
    {
        var error = Failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxxxx");

        Assert.Equal("the server used an unsupported Transfer-Encoding 'gzip'.", error.Message);
    }

    [Theory]
    [InlineData("Transfer-Encoding: gzip, chunked", "gzip, chunked")]
    [InlineData("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked", "gzip, chunked")]
    [InlineData("Transfer-Encoding: chunked, chunked", "chunked, chunked")]
    public void A_transfer_coding_list_other_than_exactly_chunked_is_refused_not_read_as_chunked(string fields, string codings)
    {
        // Only the last coding used to be checked: a gzip body framed in chunks reached the JSON parsers compressed.
        var error = Failure($"HTTP/1.1 200 OK\r\n{fields}\r\n\r\n4\r\nxxxx\r\n0\r\n\r\n");

        Assert.Equal($"the server used an unsupported Transfer-Encoding '{codings}'.", error.Message);
    }

    [Fact]
    public void An_unsupported_transfer_coding_is_shown_without_control_characters()
    {
        var error = Failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: gz\u001b]0;owned\u0007\u001b[2J\rip\u009b1m\r\n\r\nxxxx");

        Assert.Equal("the server used an unsupported Transfer-Encoding 'gz]0;owned[2Jip1m'.", error.Message);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate, gzip")]
    public void A_body_in_a_content_encoding_the_client_does_not_decode_is_refused(string encoding)
    {
        // The request asks for identity; a compressed body handed on would reach the JSON and XML parsers as garbage.
        var error = Failure($"HTTP/1.1 200 OK\r\nContent-Encoding: {encoding}\r\nContent-Length: 4\r\n\r\nxxxx");

        Assert.Equal($"the server sent its answer in the Content-Encoding '{encoding}', which this client does not decode.", error.Message);
    }

    [Fact]
    public void An_identity_content_encoding_is_accepted()
    {
        var response = Exchange("HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\nContent-Length: 2\r\n\r\nok");

        Assert.Equal("ok", response.BodyText);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("5, 5")]
    public void An_invalid_Content_Length_is_an_error(string value)
    {
        var error = Failure($"HTTP/1.1 200 OK\r\nContent-Length: {value}\r\n\r\nhello");

        Assert.Equal($"the server sent an invalid Content-Length '{value}'.", error.Message);
    }

    [Theory]
    [InlineData("HTTP/1.1 2OO OK", "HTTP/1.1 2OO OK")]
    [InlineData("HTTP/1.1 20 OK", "HTTP/1.1 20 OK")]
    [InlineData("HTTP/2 200", "HTTP/2 200")]
    [InlineData("SSH-2.0-OpenSSH_9.2", "SSH-2.0-OpenSSH_9.2")]
    [InlineData("\u001b[2JHTTP/1.1 200 OK", "[2JHTTP/1.1 200 OK")]
    [InlineData("", "")]
    public void A_malformed_status_line_is_an_error_that_shows_it_printably(string statusLine, string shown)
    {
        var error = Failure(statusLine + "\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal($"the server's answer is not HTTP/1.1: '{shown}'.", error.Message);
    }

    [Fact]
    public void Control_characters_in_the_reason_phrase_are_not_passed_on()
    {
        // A hostile server must not reach the user's terminal through text the client shows (escape sequences).
        var response = Exchange("HTTP/1.1 503 Down\u001b]0;pwned\u0007\u001b[2J\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal("Down]0;pwned[2J", response.ReasonPhrase);
    }

    [Fact]
    public void A_header_line_without_a_colon_is_an_error()
    {
        var error = Failure("HTTP/1.1 200 OK\r\nContent-Length 0\r\n\r\n");

        Assert.Equal("the server sent a malformed header line: 'Content-Length 0'.", error.Message);
    }

    [Fact]
    public void An_answer_that_ends_inside_the_header_section_is_an_error()
    {
        var error = Failure("HTTP/1.1 200 OK\r\nContent-Len");

        Assert.Equal("the connection closed in the middle of the server's answer.", error.Message);
    }

    [Fact]
    public void A_connection_closed_without_any_answer_is_an_error()
    {
        using var server = new ScriptedServer(async (stream, cancel) => await ReceivedRequest.ReadAsync(stream, cancel));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"http://127.0.0.1:{server.Port}/"));

        Assert.Equal("the connection closed in the middle of the server's answer.", error.Message);
    }

    [Fact]
    public void An_over_long_header_section_made_of_many_short_lines_is_an_error()
    {
        var headers = string.Concat(Enumerable.Range(0, 2000).Select(i => $"X-Filler-{i:D4}: {new string('a', 30)}\r\n"));

        var error = Failure("HTTP/1.1 200 OK\r\n" + headers + "Content-Length: 0\r\n\r\n");

        Assert.Equal("the server sent an over-long line in its answer.", error.Message);
    }

    [Fact]
    public void An_over_long_single_header_line_is_an_error()
    {
        var error = Failure($"HTTP/1.1 200 OK\r\nX-Huge: {new string('a', 70_000)}\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal("the server sent an over-long line in its answer.", error.Message);
    }

    [Fact]
    public void A_header_section_just_under_the_limit_is_read()
    {
        var headers = string.Concat(Enumerable.Range(0, 1000).Select(i => $"X-Filler-{i:D4}: {new string('a', 30)}\r\n"));

        var response = Exchange("HTTP/1.1 200 OK\r\n" + headers + "Content-Length: 2\r\n\r\nok");

        Assert.Equal("ok", response.BodyText);
        Assert.Equal(1001, response.Headers.Count);
    }

    private static readonly string TooLarge = $"the server's answer is larger than {HttpTransport.MaxResponseBytes / (1024 * 1024)} MiB, far more than any expected answer.";

    [Fact]
    public void A_declared_Content_Length_above_the_limit_is_refused_before_reading_it()
    {
        var error = Failure($"HTTP/1.1 200 OK\r\nContent-Length: {HttpTransport.MaxResponseBytes + 1L}\r\n\r\n");

        Assert.Equal(TooLarge, error.Message);
    }

    [Fact]
    public void A_declared_Content_Length_beyond_any_integer_is_refused()
    {
        var error = Failure("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n");

        Assert.Equal("the server sent an invalid Content-Length '99999999999999999999999'.", error.Message);
    }

    [Fact]
    public void A_read_to_close_body_above_the_limit_is_an_error()
    {
        using var server = new ScriptedServer(async (stream, cancel) =>
        {
            await ReceivedRequest.ReadAsync(stream, cancel);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\n\r\n"u8.ToArray(), cancel);
            var block = new byte[64 * 1024];
            for (var sent = 0; sent <= HttpTransport.MaxResponseBytes; sent += block.Length) await stream.WriteAsync(block, cancel);
        });

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"http://127.0.0.1:{server.Port}/"));

        Assert.Equal(TooLarge, error.Message);
    }

    [Fact]
    public void A_chunked_body_growing_above_the_limit_is_an_error()
    {
        using var server = new ScriptedServer(async (stream, cancel) =>
        {
            await ReceivedRequest.ReadAsync(stream, cancel);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray(), cancel);
            var chunk = Encoding.ASCII.GetBytes("10000\r\n" + new string('c', 0x10000) + "\r\n");
            for (var sent = 0; sent <= HttpTransport.MaxResponseBytes; sent += 0x10000) await stream.WriteAsync(chunk, cancel);
        });

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"http://127.0.0.1:{server.Port}/"));

        Assert.Equal(TooLarge, error.Message);
    }

    [Fact]
    public void A_body_of_exactly_the_limit_is_read()
    {
        var body = new byte[HttpTransport.MaxResponseBytes];
        body[^1] = 42;
        using var server = ScriptedServer.Answering(_ => [.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n"), .. body]);

        var response = Connection.Get($"http://127.0.0.1:{server.Port}/");

        Assert.Equal(body.Length, response.Body.Length);
        Assert.Equal(42, response.Body[^1]);
    }

    [Fact]
    public void A_HEAD_answer_has_no_body_despite_its_Content_Length()
    {
        using var server = AnsweringAndHolding("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");

        var response = Connection.Transport().Send(new HttpRequest("HEAD", new Uri($"http://127.0.0.1:{server.Port}/")), Connection.Timeout);

        Assert.Equal("1234", response.Header("Content-Length"));
        Assert.Empty(response.Body);
    }
}
