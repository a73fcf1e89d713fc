// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Daemon.Cli;
using Stickpeer.Daemon.Hosting;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary>The daemon with a data directory: restarts keep the tables; bad directories and settings are clear errors.</summary>
public sealed class PersistenceCommandTests
{
    private static readonly TimeSpan s_start = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Restart_WithDataDir_ShowsTheSameEntries_AndTheirRemainingExpiry()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new TestScope("sp-pcmd");
        var (cfg, sock) = await WriteConfigAsync(scope.Directory, ct);
        var data = Path.Combine(scope.Directory, "data");

        string before;
        await using (var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q", "--data-dir", data, "--fsync", "always"))
        {
            Assert.NotNull(await run.StartedOrExitedAsync(s_start, ct));
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal("\n", await UnixCli.SendAsync(sock, $"set table p/t key k{i} data.gpc0 {i * 3}", ct));
            }

            await UnixCli.SendAsync(sock, "clear table p/t key k7", ct);
            before = await UnixCli.SendAsync(sock, "show table p/t", ct);
            Assert.Equal(ExitCodes.Success, await run.StopAsync(TimeSpan.FromSeconds(15)));
        }

        await using (var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q", "--data-dir", data))
        {
            Assert.NotNull(await run.StartedOrExitedAsync(s_start, ct));
            var after = await UnixCli.SendAsync(sock, "show table p/t", ct);
            Assert.Equal(Entries(before), Entries(after));
            Assert.Equal(19, Entries(after).Count);

            // 10 min expire: a few seconds went by, so each entry has a little under 10 minutes left.
            Assert.All(after.Split('\n').Where(l => l.StartsWith("0x", StringComparison.Ordinal)), l =>
                Assert.InRange(int.Parse(l.Split(" exp=")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture), 500_000, 600_000));
        }
    }

    [Fact]
    public async Task DamagedLog_ExitsFour_NamingFileAndOffset()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new TestScope("sp-pcmd");
        var (cfg, sock) = await WriteConfigAsync(scope.Directory, ct);
        var data = Path.Combine(scope.Directory, "data");
        await using (var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q", "--data-dir", data))
        {
            Assert.NotNull(await run.StartedOrExitedAsync(s_start, ct));
            for (var i = 0; i < 5; i++)
            {
                await UnixCli.SendAsync(sock, $"set table p/t key k{i} data.gpc0 1", ct);
            }

            await run.StopAsync(TimeSpan.FromSeconds(15));
        }

        var log = Directory.GetFiles(data, "log-*.spl").Select(f => new FileInfo(f)).OrderByDescending(f => f.Length).First();
        var bytes = await File.ReadAllBytesAsync(log.FullName, ct);
        bytes[40] ^= 0xff; // in the first record, with more after it
        await File.WriteAllBytesAsync(log.FullName, bytes, ct);

        await using var again = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q", "--data-dir", data);
        Assert.Null(await again.StartedOrExitedAsync(s_start, ct));
        Assert.Equal(ExitCodes.DataDirectoryError, await again.Exit);
        Assert.Contains($"{log.FullName}: damaged at offset 32", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReloadWithDataDirectory_RefusedWithUsageError_BeforeSignallingAnyone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new TestScope("sp-pcmd");
        var (cfg, _) = await WriteConfigAsync(scope.Directory, ct);
        var stderr = new StringWriter();

        // The pid is this test process: had the command signalled it, the test run would be the one to stop.
        var code = await StickpeerCommand.RunAsync(["-f", cfg, "-L", "me", "--data-dir", Path.Combine(scope.Directory, "data"), "-sf", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)], TextReader.Null, TextWriter.Null, stderr, stop: ct);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("-sf (reload hand-over) cannot be combined with a data directory", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(scope.Directory, "data")));
    }

    [Theory]
    [InlineData("data-dir /tmp/x\nfsync sometimes\n", ":2: invalid fsync policy 'sometimes'")]
    [InlineData("# comment\n\nspeed 9\n", ":3: unknown setting 'speed'")]
    [InlineData("data-dir a\ndata-dir b\n", ":2: 'data-dir' is set twice")]
    [InlineData("snapshot-log-size lots\n", ":1: 'snapshot-log-size' expects a size")]
    [InlineData("data-dir a\nmax-pending-size 12\n", ":2: 'max-pending-size' expects a size")]
    public async Task BadSettingsFile_ExitsOne_WithFileAndLine(string text, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new TestScope("sp-pcmd");
        var (cfg, _) = await WriteConfigAsync(scope.Directory, ct);
        var settings = Path.Combine(scope.Directory, "stickpeer.settings");
        await File.WriteAllTextAsync(settings, text, ct);
        var stderr = new StringWriter();
        var code = await StickpeerCommand.RunAsync(["-f", cfg, "-L", "me", "--settings", settings], TextReader.Null, TextWriter.Null, stderr, stop: ct);
        Assert.Equal(ExitCodes.ConfigurationError, code);
        Assert.Contains(settings + expected, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsFile_MaxPendingSize_ReachesThePersistenceOptions()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new TestScope("sp-pcmd");
        var settings = Path.Combine(scope.Directory, "stickpeer.settings");
        await File.WriteAllTextAsync(settings, "data-dir /tmp/x\nmax-pending-size 3m\n", ct);
        Assert.Equal(3L << 20, StickpeerSettings.Load(settings).ToPersistenceOptions()!.MaxPendingBytes);
        await File.WriteAllTextAsync(settings, "data-dir /tmp/x\n", ct);
        Assert.Equal(32L << 20, StickpeerSettings.Load(settings).ToPersistenceOptions()!.MaxPendingBytes);
    }

    [Fact]
    public async Task SettingsFile_SetsTheDataDir_CommandLineWins()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new TestScope("sp-pcmd");
        var (cfg, sock) = await WriteConfigAsync(scope.Directory, ct);
        var fromFile = Path.Combine(scope.Directory, "from-file");
        var fromCli = Path.Combine(scope.Directory, "from-cli");
        var settings = Path.Combine(scope.Directory, "stickpeer.settings");
        await File.WriteAllTextAsync(settings, $"data-dir {fromFile}   # kept here\nfsync every 200ms\n", ct);
        await using (var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q", "--settings", settings))
        {
            Assert.NotNull(await run.StartedOrExitedAsync(s_start, ct));
            await run.StopAsync(TimeSpan.FromSeconds(15));
        }

        await using (var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", cfg, "-L", "me", "-q", "--settings", settings, "--data-dir", fromCli))
        {
            Assert.NotNull(await run.StartedOrExitedAsync(s_start, ct));
            await run.StopAsync(TimeSpan.FromSeconds(15));
        }

        Assert.NotEmpty(Directory.GetFiles(fromFile, "log-*.spl"));
        Assert.NotEmpty(Directory.GetFiles(fromCli, "log-*.spl"));
    }

    private static async Task<(string Config, string Socket)> WriteConfigAsync(string dir, CancellationToken ct)
    {
        var sock = Path.Combine(dir, "admin.sock");
        var cfg = Path.Combine(dir, "node.cfg");
        var port = FreePort.Get();
        await File.WriteAllTextAsync(cfg, $"global\n    stats socket {sock} level admin\n\npeers p\n    peer me 127.0.0.1:{port}\n    table t type string len 32 size 1000 expire 10m store gpc0\n", ct);
        return (cfg, sock);
    }

    // The entry lines without their handle (0x… differs between runs) and expiry.
    private static List<string> Entries(string showTable) =>
        [.. showTable.Split('\n').Where(l => l.StartsWith("0x", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Split(' ').Skip(1).Where(w => !w.StartsWith("exp=", StringComparison.Ordinal))))
            .Order(StringComparer.Ordinal)];
}
