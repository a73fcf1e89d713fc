// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Daemon.Cli;
using Stickpeer.Node.Persistence;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using static Stickpeer.Node.Tests.Persistence.PersistenceTestTables;

namespace Stickpeer.Node.Tests.Persistence;

/// <summary>
/// The disk fills up under a running node (docs/persistence.md, "Full disk while running"): the
/// write failure and the stop are logged once with the file and the errno text, the changes
/// waiting in memory stay under <see cref="PersistenceOptions.MaxPendingBytes"/>, the output gate
/// (what ACKs to peers and CLI answers wait for) opens instead of holding the node, the tables keep
/// working, the files written before stay loadable, and persistence comes back by itself once
/// there is space again. Real clock (the retry and recovery timers run), small tmpfs: needs root.
/// </summary>
public sealed class RunningDiskFullTests
{
    private const long MaxPending = 64 * 1024;
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DiskFillsWhileRunning_StopsLoudly_BoundedMemory_GateOpens_OldFilesLoad()
    {
        await using var disk = await TmpfsScope.CreateAsync("sp-diskrun", "512k");
        var mount = disk.Mount;
        var data = Path.Combine(mount, "data");
        var logs = new ListLoggerProvider();
        var table = Table(TimeProvider.System);
        var persistence = Open(data, table, logs);
        await using (persistence)
        {
            await FillAndStopAsync(table, persistence, logs, mount, data);

            // Not persistent any more, but the node works: changes apply, and nothing waits for the disk.
            table.Increment(Key("after"), StickDataType.Gpc0, amount: 7);
            Assert.Equal(7, Gpc0(table, "after"));
            await ((IOutputGate)persistence).WaitAsync(((IOutputGate)persistence).Position, TestContext.Current.CancellationToken).AsTask().WaitAsync(Bounded, TestContext.Current.CancellationToken);
            Assert.Equal(0, persistence.PendingBytes);
            Assert.False(persistence.IsPersistent);
            Assert.Single(logs.Entries, e => e.Id.Id == 6010); // once, not once per change or per retry
        }

        // A restart after freeing space loads what was written before the failure: no damage.
        File.Delete(Path.Combine(mount, "filler"));
        var again = Table(TimeProvider.System);
        await using (Open(data, again, new ListLoggerProvider()))
        {
            Assert.Equal(50, again.Count);
            for (var i = 0; i < 50; i++)
            {
                // Each key has its pre-fill value or a later one that reached the disk before it was full.
                var loaded = Gpc0(again, "k" + i);
                Assert.InRange(loaded, i + 1, Gpc0(table, "k" + i));
            }

            Assert.Equal(-1, Gpc0(again, "after"));
        }
    }

    [Fact]
    public async Task DiskFillsWhileRunning_SpaceReturns_PersistenceResumesWithAFullSnapshot()
    {
        await using var disk = await TmpfsScope.CreateAsync("sp-diskrun", "512k");
        var mount = disk.Mount;
        var data = Path.Combine(mount, "data");
        var logs = new ListLoggerProvider();
        var table = Table(TimeProvider.System);
        var persistence = Open(data, table, logs);
        await using (persistence)
        {
            await FillAndStopAsync(table, persistence, logs, mount, data);
            table.Increment(Key("while-stopped"), StickDataType.Gpc0, amount: 5);

            File.Delete(Path.Combine(mount, "filler"));
            var resumed = await logs.WaitForAsync((id, _) => id.Id == 6011, Bounded);
            Assert.Contains(data, resumed, StringComparison.Ordinal);
            Assert.True(persistence.IsPersistent);

            // Saved again: a change after the recovery waits for the disk as before.
            table.Increment(Key("resumed"), StickDataType.Gpc0, amount: 9);
            await persistence.WaitDurableAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Bounded, TestContext.Current.CancellationToken);
        }

        // Everything, including what changed while persistence was stopped, is on disk.
        var again = Table(TimeProvider.System);
        await using (Open(data, again, new ListLoggerProvider()))
        {
            Assert.Equal(Dump(table), Dump(again));
            Assert.Equal(5, Gpc0(again, "while-stopped"));
            Assert.Equal(9, Gpc0(again, "resumed"));
        }
    }

    [Fact]
    public async Task Daemon_DiskFillsWhileRunning_CliKeepsAnswering_RestartLoadsTheOldFiles()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var disk = await TmpfsScope.CreateAsync("sp-diskrun", "512k");
        var mount = disk.Mount;
        var data = Path.Combine(mount, "data");
        var sock = Path.Combine(disk.Directory, "admin.sock");
        var cfg = Path.Combine(disk.Directory, "node.cfg");
        await File.WriteAllTextAsync(cfg, $"global\n    stats socket {sock} level admin\n\npeers p\n    peer me 127.0.0.1:{TestKit.Net.FreePort.Get()}\n    table t type string len 32 size 1000 expire 10m store gpc0\n", ct);
        var http = $"127.0.0.1:{TestKit.Net.FreePort.Get()}";
        string[] args = ["-f", cfg, "-L", "me", "-q", "--data-dir", data, "--fsync", "always", "--http", http];
        using var client = new HttpClient { BaseAddress = new Uri("http://" + http), Timeout = Bounded };
        await using (var run = TestKit.Daemon.CommandRun.Start(StickpeerCommand.RunAsync, args))
        {
            Assert.NotNull(await run.StartedOrExitedAsync(TimeSpan.FromSeconds(30), ct));
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal("\n", await CliAsync(sock, $"set table p/t key k{i} data.gpc0 {i + 1}", ct));
            }

            Assert.Contains("\"persistence\":\"saving\"", await client.GetStringAsync("/readyz", ct), StringComparison.Ordinal);

            await FillAsync(Path.Combine(mount, "filler"), ct);

            // With fsync always every answer waits for the disk. The first ones wait until the write
            // has failed for 3 s and persistence stops; then answers come at once, from memory.
            for (var i = 0; i < 200; i++)
            {
                Assert.Equal("\n", await CliAsync(sock, $"set table p/t key k{i % 20} data.gpc0 {1000 + i}", ct));
            }

            Assert.Contains("gpc0=1199", await CliAsync(sock, "show table p/t key k19", ct), StringComparison.Ordinal);
            Assert.Contains("\"persistence\":\"stopped\"", await client.GetStringAsync("/readyz", ct), StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Success, await run.StopAsync(TimeSpan.FromSeconds(15)));
        }

        File.Delete(Path.Combine(mount, "filler"));
        await using (var run = TestKit.Daemon.CommandRun.Start(StickpeerCommand.RunAsync, args))
        {
            Assert.NotNull(await run.StartedOrExitedAsync(TimeSpan.FromSeconds(30), ct));
            var shown = await CliAsync(sock, "show table p/t", ct);
            Assert.Contains("used:20", shown, StringComparison.Ordinal);
        }
    }

    // A CLI command that must be answered within 10 s: a node held by its disk would time out here.
    private static async Task<string> CliAsync(string sock, string command, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Bounded);
        return await TestKit.Net.UnixCli.SendAsync(sock, command, timeout.Token);
    }

    private static NodePersistence Open(string data, StickTable table, ListLoggerProvider logs) =>
        NodePersistence.Open(
            new PersistenceOptions
            {
                DataDirectory = data,
                Fsync = FsyncMode.Always,
                MaxPendingBytes = MaxPending,
                WriteFailureTimeout = TimeSpan.FromSeconds(30), // longer than the test: the byte bound must be what stops it
                RecoveryInterval = TimeSpan.FromMilliseconds(500),
            },
            [table],
            TimeProvider.System,
            logs.CreateLogger("persistence"));

    /// <summary>50 durable entries, then the tmpfs filled and updates until persistence stops on the byte bound.</summary>
    private static async Task FillAndStopAsync(StickTable table, NodePersistence persistence, ListLoggerProvider logs, string mount, string data)
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 50; i++)
        {
            table.Increment(Key("k" + i), StickDataType.Gpc0, amount: i + 1);
        }

        await persistence.WaitDurableAsync(ct).AsTask().WaitAsync(Bounded, ct);
        await FillAsync(Path.Combine(mount, "filler"), ct);

        // Changes until the log file's last page is used up and a write fails (bounded: the disk is tiny).
        for (var i = 0; i < 10_000 && persistence.LastError is null; i++)
        {
            table.Increment(Key("k" + (i % 50)), StickDataType.Gpc0);
            if (i % 100 == 99)
            {
                await Task.Delay(20, ct);
            }
        }

        await logs.WaitForAsync((id, _) => id.Id == 6005, Bounded);
        Assert.True(persistence.IsPersistent); // retried for now: one failed write is not the stop yet

        // Meanwhile a CLI answer or an ACK would wait: the gate is held.
        var held = persistence.WaitDurableAsync(ct).AsTask();
        Assert.False(held.IsCompleted);

        long maxPending = 0;
        for (var i = 0; i < 100_000 && persistence.IsPersistent; i++)
        {
            table.Increment(Key("k" + (i % 50)), StickDataType.Gpc0);
            maxPending = Math.Max(maxPending, persistence.PendingBytes);
        }

        Assert.False(persistence.IsPersistent);
        Assert.InRange(maxPending, 1, MaxPending);
        await held.WaitAsync(Bounded, ct); // released by the stop, not by the disk

        var stopped = await logs.WaitForAsync((id, _) => id.Id == 6010, Bounded);
        Assert.Contains(data, stopped, StringComparison.Ordinal);
        Assert.Contains("No space left on device", stopped, StringComparison.Ordinal);
        Assert.Contains("STOPPED", stopped, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Id.Id == 6005 && e.Message.Contains("No space left on device", StringComparison.Ordinal));
    }

    private static async Task FillAsync(string filler, CancellationToken ct)
    {
        await using var f = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                await f.WriteAsync(block, ct);
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }
}
