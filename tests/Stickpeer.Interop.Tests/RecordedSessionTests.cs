// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Decode;
using Stickpeer.Interop.Tests.Scenario;
using Stickpeer.Interop.Tests.Verification;

namespace Stickpeer.Interop.Tests;

/// <summary>
/// Records a real session between two HAProxy 2.6 nodes and checks that every byte decodes
/// with the codec, re-encodes byte-exact, and matches <c>show table</c> on both nodes.
/// Set STICKPEER_RECORD_DIR to also write the recordings (how Recordings/ was made).
/// </summary>
[Trait("Category", "Interop")]
public sealed class RecordedSessionTests
{
    [Fact]
    public async Task TwoHaproxyNodes_RecordedSession_DecodesReencodesAndMatchesShowTable()
    {
        HaproxyUnderTest.RequireOrSkip();

        var ct = TestContext.Current.CancellationToken;
        var scenario = await RecordingScenario.RunAsync(ct);
        await WriteRecordingsIfAskedAsync(scenario, ct);

        Assert.NotEmpty(scenario.Directions);
        var decoded = new List<DecodedDirection>();
        foreach (var direction in scenario.Directions)
        {
            var bytes = direction.Bytes;
            var result = SessionDecoder.Decode(bytes);
            Assert.True(result.Failure is null, $"{direction.Name}: {result.Failure}\n{string.Join('\n', result.Lines.TakeLast(5))}");
            var reencoded = SessionReencoder.Encode(result.Messages);
            AssertSameBytes(direction.Name, bytes, reencoded, result);
            decoded.Add(new DecodedDirection(direction, result));
        }

        var all = decoded.SelectMany(d => d.Result.Messages).ToList();
        Assert.Contains(all, m => m.Kind == DecodedMessageKind.Hello);
        Assert.Contains(all, m => m.Kind == DecodedMessageKind.Status);
        Assert.Contains(all, m => m.Kind == DecodedMessageKind.Ack);
        Assert.Contains(all, m => m.Kind == DecodedMessageKind.Control && m.Type == 4);
        foreach (var type in new byte[] { 0x80, 0x81, 0x85, 0x86 })
        {
            Assert.Contains(all, m => m.Kind == DecodedMessageKind.Update && m.Type == type);
        }

        Assert.Contains(all, m => m.Kind == DecodedMessageKind.Update && m.Values!.Any(v => v.Text is not null));

        var problems = ShowTableComparer.Compare(decoded, scenario, TimeSpan.FromSeconds(1));
        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(40)));
    }

    private static void AssertSameBytes(string name, byte[] expected, byte[] actual, SessionDecodeResult result)
    {
        if (expected.AsSpan().SequenceEqual(actual))
        {
            return;
        }

        var at = expected.AsSpan().CommonPrefixLength(actual);
        var item = result.Messages.LastOrDefault(m => m.Offset <= at);
        Assert.Fail($"{name}: re-encoded bytes differ at offset {at} (in item @{item?.Offset}: {item?.Text}); lengths {expected.Length} vs {actual.Length}");
    }

    private static async Task WriteRecordingsIfAskedAsync(ScenarioResult scenario, CancellationToken ct)
    {
        var outDir = Environment.GetEnvironmentVariable("STICKPEER_RECORD_DIR");
        if (string.IsNullOrEmpty(outDir))
        {
            return;
        }

        Directory.CreateDirectory(outDir);
        var provenance = $"source: {scenario.HaproxyVersion}\nmade by: STICKPEER_RECORD_DIR=<dir> dotnet test --project tests/Stickpeer.Interop.Tests (RecordingScenario), {scenario.SnapshotAt:yyyy-MM-dd}";
        foreach (var d in scenario.Directions)
        {
            await File.WriteAllTextAsync(Path.Combine(outDir, d.Name + ".hex"), RecordingFile.Format(d, provenance), ct);
        }

        foreach (var (node, config) in scenario.ConfigByNode)
        {
            await File.WriteAllTextAsync(Path.Combine(outDir, $"node-{node}.cfg"), config, ct);
        }

        foreach (var (node, tables) in scenario.TablesByNode)
        {
            await File.WriteAllLinesAsync(
                Path.Combine(outDir, $"node-{node}.show-table.txt"),
                tables.SelectMany(t => t.Entries.Select(e => t.Name + " " + e.Line)),
                ct);
        }
    }
}
