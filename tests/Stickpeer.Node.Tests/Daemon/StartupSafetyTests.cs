// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using Stickpeer.Daemon.Cli;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary>Issue 19: a node beside another process never shares its port or takes its socket, and says why it stops.</summary>
public sealed class StartupSafetyTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-safe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SecondNode_SamePeersPort_ExitsThreeNamingAddressAndHolder_FirstKeepsServing()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort.Get();
        var sock1 = Path.Combine(_dir, "one.sock");
        var cfg1 = Write("one.cfg", Config(sock1, port, FreePort.Get()));
        var cfg2 = Write("two.cfg", Config(Path.Combine(_dir, "two.sock"), port, FreePort.Get()));
        await using var first = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg1, "-L", "me", "-q");
        Assert.NotNull(await first.StartedOrExitedAsync(s_wait, ct));

        await using var second = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg2, "-L", "me", "-q");
        var started = await second.StartedOrExitedAsync(s_wait, ct);

        Assert.True(started is null, "the second node started on a port the first one holds: " + second.Stderr);
        Assert.Equal(ExitCodes.StartupError, await second.Exit);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}: address 127.0.0.1:{port} is already in use by pid {Environment.ProcessId}", second.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "two.sock")), "the failed node left its own stats socket behind");
        Assert.Contains("# table: p/t", await UnixCli.SendAsync(sock1, "show table", ct), StringComparison.Ordinal);
        Assert.False(first.Exit.IsCompleted);
    }

    [Fact]
    public async Task StatsSocketAnsweredByAnotherListener_ExitsThree_SocketUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_dir, "theirs.sock");
        using var theirs = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        theirs.Bind(new UnixDomainSocketEndPoint(path));
        theirs.Listen(4);
        var cfg = Write("s.cfg", Config(path, FreePort.Get(), FreePort.Get()));

        await using var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q");

        Assert.Null(await run.StartedOrExitedAsync(s_wait, ct));
        Assert.Equal(ExitCodes.StartupError, await run.Exit);
        Assert.Contains($"stats socket '{path}' ({cfg}:2) is in use: pid {Environment.ProcessId}", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("-L", run.Stderr, StringComparison.Ordinal);

        // Still there and still theirs: a connection reaches their listener.
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
        using var accepted = await theirs.AcceptAsync(ct);
        Assert.NotNull(accepted);
    }

    [Fact]
    public async Task StaleStatsSocketFile_CheckNotesIt_RunReplacesAndRemovesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_dir, "stale.sock");
        using (var old = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // .NET unlinks the name a socket was bound to on dispose: move the file away from that name
            // so that it stays behind, like the socket of a process that was killed.
            old.Bind(new UnixDomainSocketEndPoint(path + ".old"));
            File.Move(path + ".old", path);
        }

        Assert.True(File.Exists(path));
        var cfg = Write("stale.cfg", Config(path, FreePort.Get(), FreePort.Get()));
        var check = new StringWriter();
        Assert.Equal(ExitCodes.Success, await StickpeerCommand.RunAsync(["-c", "-f", cfg, "-L", "me"], TextReader.Null, TextWriter.Null, check, stop: ct));
        Assert.Contains($"[NOTICE] stats socket '{path}' ({cfg}:2): stale socket file", check.ToString(), StringComparison.Ordinal);

        await using var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q");
        Assert.NotNull(await run.StartedOrExitedAsync(s_wait, ct));
        Assert.Contains("# table: p/t", await UnixCli.SendAsync(path, "show table", ct), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, await run.StopAsync(s_wait));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task OwnStatsSocketReplacedWhileRunning_IsNotUnlinkedOnStop()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_dir, "mine.sock");
        var cfg = Write("mine.cfg", Config(path, FreePort.Get(), FreePort.Get()));
        await using var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q");
        Assert.NotNull(await run.StartedOrExitedAsync(s_wait, ct));

        // Another process takes the path over, as HAProxy does (bind elsewhere, rename over the path).
        var temp = path + ".999.tmp";
        using var theirs = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        theirs.Bind(new UnixDomainSocketEndPoint(temp));
        theirs.Listen(4);
        File.Move(temp, path, overwrite: true);

        Assert.Equal(ExitCodes.Success, await run.StopAsync(s_wait));
        Assert.True(File.Exists(path), "stickpeer unlinked a socket it did not create");
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
    }

    [Fact]
    public async Task StatsSocketDirectoryMissing_ExitsThreeNamingPath_BeforeContactingPeers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var remote = new TcpListener(IPAddress.Loopback, 0);
        remote.Start();
        var remotePort = ((IPEndPoint)remote.LocalEndpoint).Port;
        var path = Path.Combine(_dir, "no-such-dir", "admin.sock");
        var cfg = Write("nodir.cfg", Config(path, FreePort.Get(), remotePort));

        var stderr = new StringWriter();
        var code = await StickpeerCommand.RunAsync(["-f", cfg, "-L", "me", "-q"], TextReader.Null, TextWriter.Null, stderr, stop: ct);

        Assert.Equal(ExitCodes.StartupError, code);
        Assert.Contains($"stats socket '{path}' ({cfg}:2): directory '{Path.Combine(_dir, "no-such-dir")}' does not exist", stderr.ToString(), StringComparison.Ordinal);

        // A connection attempt made before the exit would sit in the listener's backlog.
        Assert.False(remote.Pending(), "the node contacted a peer before failing on its stats socket");
    }

    [Fact]
    public async Task Check_GlobalKeywordsStickpeerDoesNotHonour_WarnWhatIsIgnored_LogIsAccepted()
    {
        var cfg = Write("g.cfg", "global\n  daemon\n  pidfile /run/haproxy.pid\n  user haproxy\n  group haproxy\n  log /dev/log local0\n"
            + "peers p\n  peer me 127.0.0.1:1\n  peer other 127.0.0.1:2\n  log 127.0.0.1:514 local0\n");
        var stderr = new StringWriter();
        var code = await StickpeerCommand.RunAsync(["-c", "-f", cfg, "-L", "me"], TextReader.Null, TextWriter.Null, stderr, stop: TestContext.Current.CancellationToken);
        var err = stderr.ToString();
        Assert.True(code == ExitCodes.Success, err);
        Assert.Contains($"{cfg}:2: global keyword 'daemon' ignored: stickpeer always runs in the foreground", err, StringComparison.Ordinal);
        Assert.Contains($"{cfg}:3: global keyword 'pidfile' ignored: stickpeer writes no pid file", err, StringComparison.Ordinal);
        Assert.Contains($"{cfg}:4: global keyword 'user' ignored: stickpeer does not change user", err, StringComparison.Ordinal);
        Assert.Contains($"{cfg}:5: global keyword 'group' ignored", err, StringComparison.Ordinal);
        Assert.DoesNotContain($"{cfg}:6:", err, StringComparison.Ordinal);
        Assert.Contains($"{cfg}:10: peers keyword 'log' ignored", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("peers p\n  peer me 127.0.0.1:1\n  pear other 127.0.0.1:2\n", 3, "unknown keyword 'pear' in 'peers' section")]
    [InlineData("global\n  stats sockett /tmp/x.sock\npeers p\n  peer me 127.0.0.1:1\n", 2, "'stats' only supports 'socket', 'maxconn', 'bind-process' and 'timeout' (got 'sockett')")]
    [InlineData("global\n  stats socket /tmp/x.sock levle admin\npeers p\n  peer me 127.0.0.1:1\n", 2, "'stats socket' : unknown keyword 'levle'. Did you mean 'level' maybe ?")]
    [InlineData("peers p\n  peer me 127.0.0.1:1\n  table t type string len 32 szie 10k\n", 3, "unknown argument 'szie'.")]
    public async Task Check_Typo_ExitsOneWithFileLineAndHaproxysWording(string text, int line, string message)
    {
        var cfg = Write("typo.cfg", text);
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        var code = await StickpeerCommand.RunAsync(["-c", "-f", cfg, "-L", "me"], TextReader.Null, stdout, stderr, stop: TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.ConfigurationError, code);
        Assert.Contains($"{cfg}:{line}: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("valid", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SectionWithoutRemotePeer_Warns()
    {
        var cfg = Write("alone.cfg", "peers p\n  peer me 127.0.0.1:1\n");
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Success, await StickpeerCommand.RunAsync(["-c", "-f", cfg, "-L", "me"], TextReader.Null, TextWriter.Null, stderr, stop: TestContext.Current.CancellationToken));
        Assert.Contains($"[WARNING] {cfg}:1: peers section 'p' has no remote peer", stderr.ToString(), StringComparison.Ordinal);
    }

    private static string Config(string socket, int port, int remotePort) =>
        $"global\n  stats socket {socket} level admin\npeers p\n  peer me 127.0.0.1:{port}\n  peer other 127.0.0.1:{remotePort}\n  table t type string size 10 store gpc0\n";

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
