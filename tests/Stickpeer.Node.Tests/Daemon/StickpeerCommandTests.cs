// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;
using System.Text;
using Stickpeer.Daemon.Cli;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Daemon;

public sealed class StickpeerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-cmd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StickpeerCommand.RunAsync(args, new StringReader(string.Empty), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Version_PrintsVersion_ExitsZero()
    {
        var (code, output, _) = await RunAsync("--version");
        Assert.Equal(ExitCodes.Success, code);
        Assert.StartsWith("stickpeer ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_PrintsUsageWithExitCodes()
    {
        var (code, output, _) = await RunAsync("--help");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("exit codes:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("-f")]
    [InlineData("run")]
    [InlineData("-L", "me")]
    public async Task BadCommandLine_ExitsTwo(params string[] args)
    {
        var (code, _, err) = await RunAsync(args);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("usage:", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ValidConfig_ReportsValidAndWarnings()
    {
        var cfg = Write("ok.cfg", "global\n  maxconn 10\npeers p\n  peer me 127.0.0.1:1\n");
        var (code, output, err) = await RunAsync("-c", "-f", cfg, "-L", "me");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("Configuration file is valid\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Contains($"[WARNING] {cfg}:2: global keyword 'maxconn' ignored", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigError_ExitsOneWithFileAndLine()
    {
        var cfg = Write("bad.cfg", "peers p\n  peer me 127.0.0.1:1\n  table t type ip size 10 store nonsense\n");
        var (code, _, err) = await RunAsync("run", "-f", cfg, "-L", "me");
        Assert.Equal(ExitCodes.ConfigurationError, code);
        Assert.Contains($"{cfg}:3: table 't' in peers section 'p': unknown data type 'nonsense'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigDirectory_ReadsCfgFilesInNameOrder()
    {
        var sub = Directory.CreateDirectory(Path.Combine(_dir, "conf.d")).FullName;
        await File.WriteAllTextAsync(Path.Combine(sub, "10-global.cfg"), "global\n  localpeer me\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(sub, "20-peers.cfg"), "peers p\n  peer me 127.0.0.1:1\n", TestContext.Current.CancellationToken);
        var (code, _, err) = await RunAsync("-c", "-f", sub);
        Assert.True(code == ExitCodes.Success, err);
    }

    [Fact]
    public async Task ListenAddressInUse_ExitsThree()
    {
        // The port comes from FreePort like every other test's, so no other test or outgoing
        // connection can hold it; the "cannot listen" error line this test provokes is the assertion.
        var port = FreePort.Get();
        using var busy = new TcpListener(System.Net.IPAddress.Loopback, port);
        busy.Start();
        var cfg = Write("busy.cfg", $"peers p\n  peer me 127.0.0.1:{port}\n");
        var (code, _, err) = await RunAsync("-f", cfg, "-L", "me", "-q");
        Assert.Equal(ExitCodes.StartupError, code);
        Assert.Contains("cannot listen on 127.0.0.1:" + port, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ServesCliSocket_AndStopsCleanly()
    {
        var port = FreePort.Get();
        var sock = Path.Combine(_dir, "admin.sock");
        var cfg = Write("run.cfg", $"global\n  stats socket {sock} level admin\npeers p\n  peer me 127.0.0.1:{port}\n  table t type string size 10 store gpc0\n");
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource<IReadOnlyDictionary<string, string>>();
        var run = StickpeerCommand.RunAsync(["-f", cfg, "-L", "me", "-q"], TextReader.Null, TextWriter.Null, TextWriter.Null, e => started.TrySetResult(e), stop.Token);
        var endpoints = await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal($"127.0.0.1:{port}", endpoints["peers:p"]);

        Assert.Equal("\n", await CliAsync(sock, "set table p/t key alice data.gpc0 3\n"));
        Assert.Contains("key=alice use=0 exp=0 shard=0 gpc0=3\n", await CliAsync(sock, "show table p/t\n"), StringComparison.Ordinal);

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.False(File.Exists(sock));
    }

    [Fact]
    public async Task Run_PromptModeWithThousandsOfPipelinedLines_AnswersEveryLineInOrder()
    {
        // How operators and benchmarks fill a table fast: one connection, prompt mode, lines sent
        // without waiting for answers (HAProxy 2.6 takes about 200k such lines per second).
        var port = FreePort.Get();
        var sock = Path.Combine(_dir, "admin.sock");
        var cfg = Write("run.cfg", $"global\n  stats socket {sock} level admin\npeers p\n  peer me 127.0.0.1:{port}\n  table t type string size 10k store gpc0\n");
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource<IReadOnlyDictionary<string, string>>();
        var run = StickpeerCommand.RunAsync(["-f", cfg, "-L", "me", "-q"], TextReader.Null, TextWriter.Null, TextWriter.Null, e => started.TrySetResult(e), stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        const int Lines = 3000;
        var request = new StringBuilder("prompt\n");
        for (var i = 0; i < Lines; i++)
        {
            request.Append("set table p/t key k").Append(i).Append(" data.gpc0 ").Append(i).Append('\n');
        }

        request.Append("show table p/t data.gpc0 ge ").Append(Lines - 2).Append("\nquit\n");
        var output = await CliAsync(sock, request.ToString());

        var expected = "\n> " + string.Concat(Enumerable.Repeat("\n> ", Lines))
            + "# table: p/t, type: string, size:10240, used:" + Lines + "\n"
            + "key=k" + (Lines - 2) + " use=0 exp=0 shard=0 gpc0=" + (Lines - 2) + "\n"
            + "key=k" + (Lines - 1) + " use=0 exp=0 shard=0 gpc0=" + (Lines - 1) + "\n\n> ";
        Assert.Equal(expected, SortEntryLines(output));

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    // show table lists entries in table order, each after its address; drop the addresses and sort
    // the entry lines so the test depends on neither.
    private static string SortEntryLines(string output)
    {
        var lines = output.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l, "^0x[0-9a-f]+: ", string.Empty)).ToArray();
        var entries = lines.Where(l => l.StartsWith("key=", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var first = Array.FindIndex(lines, l => l.StartsWith("key=", StringComparison.Ordinal));
        if (first < 0)
        {
            return output;
        }

        entries.CopyTo(lines, first);
        return string.Join('\n', lines);
    }

    private static async Task<string> CliAsync(string path, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var output = new StringBuilder();
        var buffer = new byte[4096];
        for (var i = 0; i < 100_000; i++)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (n == 0)
            {
                break;
            }

            output.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return output.ToString();
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
