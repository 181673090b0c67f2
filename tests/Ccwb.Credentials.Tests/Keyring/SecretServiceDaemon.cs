using System.Diagnostics;
using Ccwb.Testing;
using Ccwb.Testing.Processes;
using Tmds.DBus.Protocol;

namespace Ccwb.Credentials.Tests.Keyring;

/// <summary>
/// A private D-Bus session bus with a real GNOME Keyring Secret Service on it, in a throw-away HOME and runtime
/// directory. The bus has no service directories, so nothing is auto-started behind the test's back (no prompter,
/// no second keyring).
/// </summary>
public sealed class SecretServiceDaemon : IDisposable
{
    public const string LoginPassword = "keyring-test-password";

    /// <summary>
    /// gcr's mock system prompter (shipped in libgcr-base for tests), driven over stdin: it answers GNOME Keyring's
    /// password prompts the way a user at the dialog would, as told line by line.
    /// </summary>
    private const string MockPrompterScript = """
        import ctypes, sys
        gcr = ctypes.CDLL("libgcr-base-3.so.1")
        gcr.gcr_mock_prompter_start.restype = ctypes.c_char_p
        print(gcr.gcr_mock_prompter_start().decode(), flush=True)
        for line in sys.stdin:
            command, _, argument = line.rstrip("\n").partition(" ")
            if command == "password":
                gcr.gcr_mock_prompter_expect_password_ok(argument.encode(), None)
            elif command == "cancel":
                gcr.gcr_mock_prompter_expect_password_cancel()
            elif command == "delay":
                gcr.gcr_mock_prompter_set_delay_msec(int(argument))
            elif command == "expecting":
                print(int(gcr.gcr_mock_prompter_is_expecting()), flush=True)
                continue
            print("ok", flush=True)
        """;

    private readonly TempDirectory _root = new("ccwb-keyring");
    private readonly List<Process> _processes = [];
    private Process? _prompter;

    private SecretServiceDaemon(bool withSecretService, bool withPrompter = false)
    {
        try
        {
            Directory.CreateDirectory(_root.Combine("home"));
            Directory.CreateDirectory(_root.Combine("run"));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(_root.Combine("run"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Address = StartBus();
            var prompterName = withPrompter ? StartPrompter() : null;
            if (withSecretService) StartKeyring(prompterName);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The bus address, as DBUS_SESSION_BUS_ADDRESS would carry it.</summary>
    public string Address { get; } = "";

    public static SecretServiceDaemon Start() => new(withSecretService: true);

    /// <summary>A session bus on which nobody provides org.freedesktop.secrets.</summary>
    public static SecretServiceDaemon StartBusOnly() => new(withSecretService: false);

    /// <summary>GNOME Keyring with a scripted prompter: see <see cref="AnswerNextPrompt"/>.</summary>
    public static SecretServiceDaemon StartWithPrompter() => new(withSecretService: true, withPrompter: true);

    /// <summary>Queues the answer to the next password prompt: a password (accept) or null (the user cancels).</summary>
    public void AnswerNextPrompt(string? password) =>
        PrompterCommand(password is null ? "cancel" : "password " + password);

    /// <summary>How long the prompter takes before answering, like a user who has walked away.</summary>
    public void DelayPromptAnswers(TimeSpan delay) => PrompterCommand($"delay {(int)delay.TotalMilliseconds}");

    /// <summary>Whether queued answers are still waiting for a prompt.</summary>
    public bool PromptAnswersPending => PrompterCommand("expecting") == "1";

    /// <summary>Runs libsecret's secret-tool against this bus, as another client of the same keyring would.</summary>
    public Run.Result SecretTool(string? stdin, params string[] arguments) =>
        Run.Tool("secret-tool", arguments, environment: BusEnvironment(), timeoutSeconds: 30, standardInput: stdin);

    public void Dispose()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            try
            {
                if (!process.HasExited) process.Kill();
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            process.Dispose();
        }
        _root.Dispose();
    }

    private string StartBus()
    {
        var config = _root.Combine("bus.conf");
        File.WriteAllText(config, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path={_root.Combine("run", "bus")}</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>
            """);
        var start = new ProcessStartInfo("dbus-daemon") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--config-file=" + config, "--nofork", "--print-address=1" })
            start.ArgumentList.Add(argument);
        var bus = Track(Process.Start(start)!);
        _ = bus.StandardError.ReadToEndAsync(); // it complains about fd limits when not root-capable; ignore
        var line = bus.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(10)) || string.IsNullOrWhiteSpace(line.Result))
            throw new InvalidOperationException("dbus-daemon did not print its address");
        return line.Result!.Trim();
    }

    private string StartPrompter()
    {
        var start = new ProcessStartInfo(SystemPrograms.Python3)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(MockPrompterScript);
        SetEnvironment(start);
        _prompter = Track(Process.Start(start)!);
        _ = _prompter.StandardError.ReadToEndAsync();
        return ReadPrompterLine();
    }

    private string PrompterCommand(string command)
    {
        if (_prompter is null) throw new InvalidOperationException("started without a prompter");
        _prompter.StandardInput.WriteLine(command);
        _prompter.StandardInput.Flush();
        return ReadPrompterLine();
    }

    private string ReadPrompterLine()
    {
        var line = _prompter!.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(10)) || line.Result is null)
            throw new InvalidOperationException("the mock prompter did not answer");
        return line.Result.Trim();
    }

    private void StartKeyring(string? prompterName)
    {
        var start = new ProcessStartInfo("gnome-keyring-daemon")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--foreground", "--unlock", "--components=secrets" })
            start.ArgumentList.Add(argument);
        SetEnvironment(start);
        // GNOME Keyring's hook for tests: talk to this prompter instead of activating the desktop one.
        if (prompterName is not null) start.Environment["GNOME_KEYRING_TEST_PROMPTER"] = prompterName;
        var keyring = Track(Process.Start(start)!);
        _ = keyring.StandardOutput.ReadToEndAsync();
        _ = keyring.StandardError.ReadToEndAsync();
        keyring.StandardInput.Write(LoginPassword);
        keyring.StandardInput.Close();
        WaitForName("org.freedesktop.secrets", TimeSpan.FromSeconds(15));
    }

    private void WaitForName(string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var connection = new DBusConnection(Address);
        connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
        while (DateTime.UtcNow < deadline)
        {
            if (connection.ListServicesAsync().GetAwaiter().GetResult().Contains(name)) return;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"{name} did not appear on the test bus");
    }

    /// <summary>What every client and service on this bus sees: the private HOME, runtime folder and bus, no display.</summary>
    private Dictionary<string, string?> BusEnvironment() => new()
    {
        ["HOME"] = _root.Combine("home"),
        ["XDG_RUNTIME_DIR"] = _root.Combine("run"),
        ["XDG_DATA_HOME"] = _root.Combine("home", ".local", "share"),
        ["XDG_CONFIG_HOME"] = _root.Combine("home", ".config"),
        ["DBUS_SESSION_BUS_ADDRESS"] = Address,
        ["DISPLAY"] = null,
        ["WAYLAND_DISPLAY"] = null,
    };

    private void SetEnvironment(ProcessStartInfo start)
    {
        foreach (var (name, value) in BusEnvironment())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
    }

    private Process Track(Process process)
    {
        _processes.Add(process);
        return process;
    }
}
