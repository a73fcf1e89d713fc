// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Persistence;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit;
using static Stickpeer.Node.Tests.Persistence.PersistenceTestTables;

namespace Stickpeer.Node.Tests.Persistence;

/// <summary>The log and snapshot format: round trips, torn writes, damage, versions.</summary>
public sealed class PersistenceFormatTests
{
    [Fact]
    public void Header_RoundTrips_AndRefusesNewerVersion()
    {
        var header = new byte[PersistenceFormat.HeaderSize];
        PersistenceFormat.WriteHeader(header, FileKind.Log, 42);
        Assert.True(PersistenceFormat.TryReadHeader(header, FileKind.Log, out var g, out _));
        Assert.Equal(42UL, g);
        Assert.False(PersistenceFormat.TryReadHeader(header, FileKind.Snapshot, out _, out var wrongKind));
        Assert.Contains("magic", wrongKind, StringComparison.Ordinal);

        header[8] = (byte)(PersistenceFormat.Version + 1);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(header.AsSpan(0, 28));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), crc);
        Assert.False(PersistenceFormat.TryReadHeader(header, FileKind.Log, out _, out var newer));
        Assert.Contains("newer", newer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_SurviveReopen_LocalLearnedAndRemoved()
    {
        await using var scope = new TestScope("sp-persist");
        var time = NewTime();
        var table = Table(time);
        await using (var p = Open(scope.Directory, time, table))
        {
            table.Increment(Key("a"), StickDataType.Gpc0, amount: 5);
            table.Set(Key("b"), [new DataAssignment(StickDataType.ServerKey, 0, 0, "srv1")]);
            table.Increment(Key("c"), StickDataType.Gpc0);
            Assert.Equal(RemoveResult.Removed, table.Remove(Key("c")));
            var learned = new DecodedUpdate(table.Schema);
            learned.SetKey(Key("d"));
            learned.Values.Of(StickDataType.Gpc0)[0].Number = 9;
            table.ApplyRemote(learned);
        }

        var again = Table(time);
        await using (var p = Open(scope.Directory, time, again))
        {
            Assert.Equal(Dump(table), Dump(again));
            Assert.Equal("a=5/,b=0/srv1,d=9/", Dump(again));
            Assert.Contains("mesh/t", p.Report.RestoredTables);
        }
    }

    [Fact]
    public async Task Expiry_IsAbsolute_RemainingLifeKept_ExpiredWhileDownDropped()
    {
        await using var scope = new TestScope("sp-persist");
        var time = NewTime();
        var table = Table(time); // expire 10 min
        await using (Open(scope.Directory, time, table))
        {
            table.Increment(Key("old"), StickDataType.Gpc0);
            time.Advance(TimeSpan.FromMinutes(7));
            table.Increment(Key("young"), StickDataType.Gpc0);
        }

        // Down for 5 minutes: "old" (touched 12 min ago) is gone, "young" has about 5 of its 10 minutes left.
        time.Advance(TimeSpan.FromMinutes(5));
        var again = Table(time);
        await using (var p = Open(scope.Directory, time, again))
        {
            Assert.Equal("young=1/", Dump(again));
            Assert.Equal(1, p.Report.ExpiredWhileDown);
            var snap = again.Enumerate().Single();
            Assert.InRange(snap.ExpireMs, 299_000u, 300_000u);
        }
    }

    [Fact]
    public async Task Rates_AgeWithDowntime()
    {
        await using var scope = new TestScope("sp-persist");
        var time = NewTime();
        var table = Table(time);
        await using (Open(scope.Directory, time, table))
        {
            table.Increment(Key("r"), StickDataType.HttpReqRate, amount: 7);
        }

        var soon = Table(time);
        await using (Open(scope.Directory, time, soon))
        {
            Assert.True(soon.TryGetValue(Key("r"), StickDataType.HttpReqRate, 0, out var rate));
            Assert.Equal(7, rate);
        }

        // Two whole periods (10 s each) later the rate is 0, as it would be on a node that stayed up.
        time.Advance(TimeSpan.FromSeconds(25));
        var later = Table(time);
        await using (Open(scope.Directory, time, later))
        {
            Assert.True(later.TryGetValue(Key("r"), StickDataType.HttpReqRate, 0, out var rate));
            Assert.Equal(0, rate);
        }
    }

    [Fact]
    public async Task TornLastRecord_AtEveryByteOffset_IsDroppedAndEverythingBeforeLoads()
    {
        await using var scope = new TestScope("sp-persist");
        var time = NewTime();
        var source = Path.Combine(scope.Directory, "source");
        var table = Table(time);
        await using (Open(source, time, table))
        {
            for (var i = 0; i < 20; i++)
            {
                table.Increment(Key("k" + i), StickDataType.Gpc0, amount: i + 1);
            }

            table.Set(Key("last"), [new DataAssignment(StickDataType.Gpc0, 0, 77), new DataAssignment(StickDataType.ServerKey, 0, 0, "s")]);
        }

        var log = DataDirectoryFiles.Logs(source).Single(f => new FileInfo(f).Length > PersistenceFormat.HeaderSize);
        var (lastOffset, length) = LastRecord(log);
        var expectedWithout = Dump(WithoutLast(table));
        Assert.True(length - lastOffset > 20, "the last record has a body to cut into");

        for (var cut = lastOffset; cut < length; cut++)
        {
            var dir = Path.Combine(scope.Directory, "cut" + cut);
            CopyDirectory(source, dir);
            var copy = Path.Combine(dir, Path.GetFileName(log));
            using (var f = new FileStream(copy, FileMode.Open, FileAccess.Write))
            {
                f.SetLength(cut);
            }

            var loaded = Table(time);
            await using (var p = Open(dir, time, loaded))
            {
                Assert.Equal(expectedWithout, Dump(loaded));
                Assert.Equal(cut == lastOffset ? null : copy, p.Report.TornTail?.Path);
            }

            // The tail was cut at start-up: the next start finds a clean log followed by a newer one.
            var twice = Table(time);
            await using (var p = Open(dir, time, twice))
            {
                Assert.Equal(expectedWithout, Dump(twice));
                Assert.Null(p.Report.TornTail);
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task DamageBeforeTheLastRecord_StopsStartup_NamingFileAndOffset()
    {
        await using var scope = new TestScope("sp-persist");
        var time = NewTime();
        var table = Table(time);
        await using (Open(scope.Directory, time, table))
        {
            for (var i = 0; i < 10; i++)
            {
                table.Increment(Key("k" + i), StickDataType.Gpc0);
            }
        }

        var log = DataDirectoryFiles.Logs(scope.Directory).Single(f => new FileInfo(f).Length > PersistenceFormat.HeaderSize);
        var bytes = await File.ReadAllBytesAsync(log, TestContext.Current.CancellationToken);
        var (lastOffset, _) = LastRecord(log);
        bytes[lastOffset - 3] ^= 0x40; // inside the record before the last one
        await File.WriteAllBytesAsync(log, bytes, TestContext.Current.CancellationToken);
        var before = Directory.GetFiles(scope.Directory).Select(f => (f, File.ReadAllBytes(f).Length)).ToList();

        var ex = Assert.Throws<PersistenceException>(() => Open(scope.Directory, time, Table(time)));
        Assert.Contains(log, ex.Message, StringComparison.Ordinal);
        Assert.Contains("offset", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(scope.Directory).Select(f => (f, File.ReadAllBytes(f).Length)).ToList());
    }

    [Fact]
    public async Task NewerFormatVersion_StopsStartup_WithoutTouchingFiles()
    {
        await using var scope = new TestScope("sp-persist");
        var time = NewTime();
        var table = Table(time);
        await using (Open(scope.Directory, time, table))
        {
            table.Increment(Key("a"), StickDataType.Gpc0);
        }

        var log = DataDirectoryFiles.Logs(scope.Directory)[0];
        var bytes = await File.ReadAllBytesAsync(log, TestContext.Current.CancellationToken);
        bytes[8] = 9;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, 28)));
        await File.WriteAllBytesAsync(log, bytes, TestContext.Current.CancellationToken);
        var files = Directory.GetFiles(scope.Directory).Order(StringComparer.Ordinal).ToList();

        var ex = Assert.Throws<PersistenceException>(() => Open(scope.Directory, time, Table(time)));
        Assert.Contains("newer Stickpeer (format version 9", ex.Message, StringComparison.Ordinal);
        Assert.Equal(files, Directory.GetFiles(scope.Directory).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(log, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Snapshot_CompactsLogs_AndLoadsWithLaterChanges()
    {
        await using var scope = new TestScope("sp-persist");
        var time = NewTime();
        var table = Table(time);
        await using (var p = Open(scope.Directory, time, table))
        {
            for (var i = 0; i < 100; i++)
            {
                table.Increment(Key("k" + (i % 10)), StickDataType.Gpc0);
            }

            await p.SnapshotAsync();
            table.Increment(Key("k1"), StickDataType.Gpc0, amount: 100);
            table.Remove(Key("k2"));
        }

        Assert.True(File.Exists(Path.Combine(scope.Directory, "snapshot.sps")));
        var again = Table(time);
        await using (var p = Open(scope.Directory, time, again))
        {
            Assert.True(p.Report.HadSnapshot);
            Assert.Equal(Dump(table), Dump(again));
            Assert.Equal(110, Gpc0(again, "k1"));
            Assert.Equal(-1, Gpc0(again, "k2"));
        }

        // Every log older than the snapshot is gone.
        Assert.All(DataDirectoryFiles.Logs(scope.Directory), f => Assert.True(DataDirectoryFiles.Generation(f) >= 2));
    }

    [Fact]
    public async Task TruncatedSnapshot_IsDamage_NotATornWrite()
    {
        await using var scope = new TestScope("sp-persist");
        var time = NewTime();
        var table = Table(time);
        await using (var p = Open(scope.Directory, time, table))
        {
            table.Increment(Key("a"), StickDataType.Gpc0);
            await p.SnapshotAsync();
        }

        var snapshot = Path.Combine(scope.Directory, "snapshot.sps");
        using (var f = new FileStream(snapshot, FileMode.Open, FileAccess.Write))
        {
            f.SetLength(f.Length - 3);
        }

        var ex = Assert.Throws<PersistenceException>(() => Open(scope.Directory, time, Table(time)));
        Assert.Contains(snapshot, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TableNoLongerConfigured_IsSkipped_OthersLoad()
    {
        await using var scope = new TestScope("sp-persist");
        var time = NewTime();
        var t1 = Table(time, "mesh/t");
        var t2 = Table(time, "mesh/gone");
        await using (Open(scope.Directory, time, t1, t2))
        {
            t1.Increment(Key("a"), StickDataType.Gpc0);
            t2.Increment(Key("b"), StickDataType.Gpc0);
        }

        var again = Table(time, "mesh/t");
        await using var p = Open(scope.Directory, time, again);
        Assert.Equal("a=1/", Dump(again));
        Assert.Equal(["mesh/t"], p.Report.RestoredTables);
    }

    [Fact]
    public async Task SecondOpenOfTheSameDirectory_IsRefused()
    {
        await using var scope = new TestScope("sp-persist");
        var time = NewTime();
        await using var first = Open(scope.Directory, time, Table(time));
        var ex = Assert.Throws<PersistenceException>(() => Open(scope.Directory, time, Table(time)));
        Assert.Contains("another stickpeer", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("always", FsyncMode.Always, 0)]
    [InlineData("never", FsyncMode.Never, 0)]
    [InlineData("every 1s", FsyncMode.Every, 1000)]
    [InlineData("every 250ms", FsyncMode.Every, 250)]
    [InlineData("every 2m", FsyncMode.Every, 120_000)]
    public void FsyncPolicy_Parses(string text, FsyncMode mode, int ms)
    {
        Assert.True(PersistenceOptions.TryParseFsync(text.Split(' '), out var m, out var interval, out _));
        Assert.Equal(mode, m);
        if (mode == FsyncMode.Every)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(ms), interval);
        }
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData("every")]
    [InlineData("every 0s")]
    [InlineData("every 5x")]
    [InlineData("always now")]
    public void FsyncPolicy_RejectsNonsense(string text)
    {
        Assert.False(PersistenceOptions.TryParseFsync(text.Split(' '), out _, out _, out var error));
        Assert.NotNull(error);
    }

    private static (long Offset, long Length) LastRecord(string path)
    {
        using var reader = DataFileReader.Open(path, FileKind.Log, out var status, out _);
        Assert.Equal(ReadStatus.Record, status);
        long last = -1;
        while (reader.ReadNext(out _) == ReadStatus.Record)
        {
            last = reader.Offset;
        }

        return (last, reader.Length);
    }

    private static StickTable WithoutLast(StickTable table)
    {
        var copy = Table(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start));
        foreach (var e in table.Enumerate())
        {
            if (System.Text.Encoding.ASCII.GetString(e.Key) != "last")
            {
                copy.Set(e.Key, [new DataAssignment(StickDataType.Gpc0, 0, Gpc0(table, System.Text.Encoding.ASCII.GetString(e.Key)))]);
            }
        }

        return copy;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from))
        {
            if (Path.GetFileName(f) != "lock")
            {
                File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
            }
        }
    }
}
