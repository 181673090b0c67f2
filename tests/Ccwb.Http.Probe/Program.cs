// ccwb-http-probe <url> [ca-bundle]: GETs the URL and prints "HTTP <status>" and the body, or "error: <message>" (exit 1).
using Ccwb.Http;

var transport = new HttpTransport(new ProxySelector(_ => null), "ccwb-http-probe", args.Length > 1 ? args[1] : null);
try
{
    var response = transport.Send(HttpRequest.Get(new Uri(args[0])), TimeSpan.FromSeconds(20));
    Console.WriteLine($"HTTP {response.StatusCode}");
    Console.Write(response.BodyText);
    return 0;
}
catch (HttpTransportException e)
{
    Console.WriteLine($"error: {e.Message}");
    return 1;
}
