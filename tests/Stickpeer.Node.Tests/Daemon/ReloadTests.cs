// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary>
/// <c>stickpeer -sf &lt;old pid&gt;</c> with two real stickpeer processes: the old one hands its table
/// over to the new one through the local peer and exits.
/// </summary>
[Trait("Category", "Reload")]
public sealed class ReloadTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(60);

    private static string Config(string dir, int port, int remotePort) =>
        $"""
        global
            stats socket {dir}/sp.sock level admin

        peers mesh
            peer sp 127.0.0.1:{port}
            peer far 127.0.0.1:{remotePort}
            table t type string len 32 size 50k expire 1h store gpc0,http_req_cnt
        """;

    private static async Task FillAsync(string socket, int count, string prefix)
    {
        var sb = new StringBuilder("prompt\n");
        for (var i = 0; i < count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"set table mesh/t key {prefix}{i} data.gpc0 {i} data.http_req_cnt {i * 3}\n");
        }

        sb.Append("quit\n");
        await UnixCli.SendAsync(socket, sb.ToString(), TestContext.Current.CancellationToken);
    }

    /// <summary>Key → "gpc0/http_req_cnt" of every entry of the table, from <c>show table</c>.</summary>
    private static async Task<Dictionary<string, string>> TableAsync(string socket)
    {
        var text = await UnixCli.SendAsync(socket, "show table mesh/t", TestContext.Current.CancellationToken);
        var dump = TableDump.Parse(text).Single();
        return dump.Entries.ToDictionary(e => e.Key, e => e["gpc0"] + "/" + e["http_req_cnt"], StringComparer.Ordinal);
    }

    [Fact]
    public async Task Reload_TenThousandEntries_NoneLost()
    {
        await using var scope = new TestScope("stickpeer-reload-");
        var ports = FreePort.GetMany(2);
        var cfg = Path.Combine(scope.Directory, "sp.cfg");
        await File.WriteAllTextAsync(cfg, Config(scope.Directory, ports[0], ports[1]), TestContext.Current.CancellationToken);
        var socket = Path.Combine(scope.Directory, "sp.sock");

        await using var old = DaemonProcess.Start("-f", cfg, "-L", "sp");
        await old.WaitForCliAsync(socket, Start, TestContext.Current.CancellationToken);
        await FillAsync(socket, 10_000, "k");
        var before = await TableAsync(socket);
        Assert.Equal(10_000, before.Count);

        await using var next = DaemonProcess.Start("-f", cfg, "-L", "sp", "-sf", old.ProcessId.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, await old.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await next.WaitForCliAsync(socket, Start, TestContext.Current.CancellationToken);
        var after = await TableAsync(socket);

        Assert.Contains("Hand-over complete", old.Output, StringComparison.Ordinal);
        Assert.Equal(before.Count, after.Count);
        Assert.Empty(before.Where(kv => !after.TryGetValue(kv.Key, out var v) || v != kv.Value).Take(5));
        Assert.False(next.HasExited);
    }

    [Fact]
    public async Task Reload_BeforeInitialResyncFinished_TableNotEmptied()
    {
        // The reverse of HAProxy issue #1216. The old process's only remote peer never teaches, so the
        // old process is still learning (not FINISHED) when it is reloaded; it must hand over what it has.
        await using var scope = new TestScope("stickpeer-reload-");
        await using var silent = new SilentPeer();
        var port = FreePort.Get();
        var cfg = Path.Combine(scope.Directory, "sp.cfg");
        await File.WriteAllTextAsync(cfg, Config(scope.Directory, port, silent.Port), TestContext.Current.CancellationToken);
        var socket = Path.Combine(scope.Directory, "sp.sock");

        await using var old = DaemonProcess.Start("-f", cfg, "-L", "sp");
        await old.WaitForCliAsync(socket, Start, TestContext.Current.CancellationToken);
        await FillAsync(socket, 500, "early");
        var peers = await UnixCli.SendAsync(socket, "show peers", TestContext.Current.CancellationToken);
        Assert.Contains("flags=0x1 ", peers, StringComparison.Ordinal); // still learning from a remote peer (0x3 once finished)

        await using var next = DaemonProcess.Start("-f", cfg, "-L", "sp", "-sf", old.ProcessId.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, await old.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await next.WaitForCliAsync(socket, Start, TestContext.Current.CancellationToken);

        Assert.Contains("finished: False", old.Output, StringComparison.Ordinal); // it taught a partial lesson (00 02)
        var after = await TableAsync(socket);
        Assert.Equal(500, after.Count);
        Assert.Equal("499/1497", after["early499"]);
    }

    [Fact]
    public async Task Reload_OldProcessGone_NewProcessStartsAlone()
    {
        await using var scope = new TestScope("stickpeer-reload-");
        var ports = FreePort.GetMany(2);
        var cfg = Path.Combine(scope.Directory, "sp.cfg");
        await File.WriteAllTextAsync(cfg, Config(scope.Directory, ports[0], ports[1]), TestContext.Current.CancellationToken);
        var socket = Path.Combine(scope.Directory, "sp.sock");

        // A pid that exists but is not a stickpeer would get SIGUSR1 too, as with HAProxy: use one that is gone.
        await using (var gone = DaemonProcess.Start("--version"))
        {
            await gone.WaitForExitAsync(TimeSpan.FromSeconds(60));
            await using var next = DaemonProcess.Start("-f", cfg, "-L", "sp", "-sf", gone.ProcessId.ToString(CultureInfo.InvariantCulture));
            await next.WaitForCliAsync(socket, Start, TestContext.Current.CancellationToken);
            Assert.Contains("cannot signal old process", next.Output, StringComparison.Ordinal);
        }
    }
}

/// <summary>Parsing of <c>-sf</c> (HAProxy's form: every argument after it is a pid).</summary>
public sealed class ReloadCommandLineTests
{
    [Fact]
    public void SoftStop_TakesEveryFollowingPid()
    {
        var parsed = Stickpeer.Daemon.Cli.CommandLine.Parse(["-f", "x.cfg", "-L", "sp", "-sf", "12", "34"], out var error);
        Assert.Null(error);
        Assert.Equal([12, 34], parsed!.SoftStopPids);
        Assert.Equal("sp", parsed.LocalPeer);
    }

    [Theory]
    [InlineData("-sf", "-sf expects at least one process id")]
    [InlineData("-sf abc", "-sf expects process ids, not 'abc'")]
    [InlineData("-sf 12 -d", "-sf expects process ids, not '-d'")]
    [InlineData("-sf 0", "-sf expects process ids, not '0'")]
    [InlineData("NOFILE -sf 12", "no configuration file given (-f)")]
    public void SoftStop_BadPids_AreUsageErrors(string tail, string message)
    {
        string[] args = tail.StartsWith("NOFILE ", StringComparison.Ordinal) ? tail[7..].Split(' ') : ["-f", "x.cfg", .. tail.Split(' ')];
        var parsed = Stickpeer.Daemon.Cli.CommandLine.Parse(args, out var error);
        Assert.Null(parsed);
        Assert.Equal(message, error);
    }
}
