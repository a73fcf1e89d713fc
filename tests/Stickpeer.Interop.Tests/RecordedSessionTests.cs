// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Interop.Tests.Scenario;
using Stickpeer.TestKit.Haproxy;

namespace Stickpeer.Interop.Tests;

[Trait("Category", "Interop")]
public sealed class RecordedSessionTests
{
    [Fact]
    public async Task TwoHaproxyNodes_RecordedSession_DecodesAndMatchesShowTable()
    {
        if (!HaproxyAvailability.IsInstalled)
        {
            Assert.Skip(HaproxyAvailability.SkipReason);
        }

        var ct = TestContext.Current.CancellationToken;
        var result = await RecordingScenario.RunAsync(ct);
        Assert.NotEmpty(result.Directions);

        var outDir = Environment.GetEnvironmentVariable("STICKPEER_RECORD_DIR");
        if (!string.IsNullOrEmpty(outDir))
        {
            Directory.CreateDirectory(outDir);
            var provenance = $"source: {result.HaproxyVersion}; scenario RecordingScenario (tests/Stickpeer.Interop.Tests), recorded {result.SnapshotAt:yyyy-MM-dd}";
            foreach (var d in result.Directions)
            {
                await File.WriteAllTextAsync(Path.Combine(outDir, d.Name + ".hex"), RecordingFile.Format(d, provenance), ct);
            }

            foreach (var (node, config) in result.ConfigByNode)
            {
                await File.WriteAllTextAsync(Path.Combine(outDir, $"node-{node}.cfg"), config, ct);
            }

            foreach (var (node, tables) in result.TablesByNode)
            {
                await File.WriteAllLinesAsync(Path.Combine(outDir, $"node-{node}.show-table.txt"), tables.SelectMany(t => t.Entries.Select(e => t.Name + " " + e.Line)), ct);
            }
        }
    }
}
