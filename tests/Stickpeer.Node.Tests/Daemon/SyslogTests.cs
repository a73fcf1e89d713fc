// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;
using Stickpeer.Daemon.Cli;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary>The <c>log</c> lines of <c>global</c> are honoured: syslog datagrams over UDP on loopback or a UNIX datagram socket.</summary>
public sealed class SyslogTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task LogToUdpOnLoopback_SendsStartedLineWithFacilityAndSeverity()
    {
        var ct = TestContext.Current.CancellationToken;
        using var syslog = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        syslog.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)syslog.LocalEndPoint!).Port;
        var cfg = Write("udp.cfg", $"global\n  log 127.0.0.1:{port} local0 info\n" + Peers());

        await using var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q");
        var started = await ReceiveUntilAsync(syslog, l => l.Contains("started as peer 'me'", StringComparison.Ordinal), ct);

        // local0 (16) * 8 + info (6) = 134.
        Assert.StartsWith("<134>", started, StringComparison.Ordinal);
        Assert.Contains($" stickpeer[{Environment.ProcessId}]: ", started, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogLevelWarning_SendsWarnings_DropsInformation()
    {
        var ct = TestContext.Current.CancellationToken;
        using var syslog = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        syslog.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)syslog.LocalEndPoint!).Port;
        var cfg = Write("warn.cfg", $"global\n  log udp@127.0.0.1:{port} local7 warning\npeers p\n  peer me 127.0.0.1:{FreePort.Get()}\n");

        await using (var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me"))
        {
            Assert.NotNull(await run.StartedOrExitedAsync(s_wait, ct));
            Assert.Equal(ExitCodes.Success, await run.StopAsync(s_wait));
        }

        // Every line was sent before the stop returned, and loopback datagrams are queued at once.
        var lines = new List<string>();
        var buffer = new byte[4096];
        for (var i = 0; i < 1000 && syslog.Available > 0; i++)
        {
            lines.Add(Encoding.UTF8.GetString(buffer, 0, await syslog.ReceiveAsync(buffer, ct)));
        }

        // local7 (23) * 8 + warning (4) = 188: the lone-node warning; nothing at info (started, stopped).
        Assert.Contains(lines, l => l.StartsWith("<188>", StringComparison.Ordinal) && l.Contains("has no remote peer", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("started as peer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogToUnixDatagramSocket_LikeDevLog_SendsLines()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_dir, "log.sock");
        using var syslog = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        syslog.Bind(new UnixDomainSocketEndPoint(path));
        var cfg = Write("unix.cfg", $"global\n  log {path} daemon\n" + Peers());

        await using var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q");
        var started = await ReceiveUntilAsync(syslog, l => l.Contains("started as peer 'me'", StringComparison.Ordinal), ct);

        // daemon (3) * 8 + info (6) = 30.
        Assert.StartsWith("<30>", started, StringComparison.Ordinal);
    }

    private static async Task<string> ReceiveUntilAsync(Socket socket, Func<string, bool> match, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var seen = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(s_wait);
        for (var i = 0; i < 1000; i++)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var line = Encoding.UTF8.GetString(buffer, 0, n);
            if (match(line))
            {
                return line;
            }

            seen.Add(line);
        }

        Assert.Fail("no matching syslog line; received:\n" + string.Join("\n", seen));
        return string.Empty;
    }

    private static string Peers() => $"peers p\n  peer me 127.0.0.1:{FreePort.Get()}\n  peer other 127.0.0.1:{FreePort.Get()}\n";

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
