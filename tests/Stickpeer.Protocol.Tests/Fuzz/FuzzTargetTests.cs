// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Fuzz;
using Stickpeer.Fuzz.Targets;
using Stickpeer.Protocol.Errors;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Fuzz;

/// <summary>Replays every fuzz corpus file and past crasher through its target, and checks that every target has a corpus.</summary>
public sealed class FuzzTargetTests
{
    private static readonly string s_fuzzDir = Path.Combine(TestPaths.RepoRoot, "tests", "Stickpeer.Fuzz");

    public static TheoryData<string> TargetNames()
    {
        var data = new TheoryData<string>();
        foreach (var type in typeof(IFuzzTarget).Assembly.GetTypes().Where(t => t.IsClass && typeof(IFuzzTarget).IsAssignableFrom(t)))
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Fact]
    public void Registry_FindsEveryTargetType()
    {
        var names = TargetNames().Select(r => (string)r.Data).Order(StringComparer.Ordinal).ToArray();

        Assert.NotEmpty(names);
        Assert.Equal(names, FuzzTargets.All.Keys.ToArray());
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Target_HasSeedCorpus(string target)
    {
        var dir = Path.Combine(s_fuzzDir, "corpus", target);

        Assert.True(Directory.Exists(dir), $"missing corpus folder {dir}");
        Assert.NotEmpty(Directory.GetFiles(dir));
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Target_ReplaysCorpusAndPastCrashers_WithoutFindings(string target)
    {
        var action = FuzzTargets.All[target];
        var files = new[] { "corpus", "crashers" }
            .Select(d => Path.Combine(s_fuzzDir, d, target))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetFiles)
            .ToList();

        foreach (var file in files)
        {
            var data = File.ReadAllBytes(file);
            try
            {
                action(data);
            }
            catch (PeerProtocolException)
            {
            }
        }

        Assert.NotEmpty(files);
    }

    [Theory]
    [Trait("Category", "Fuzz")]
    [MemberData(nameof(TargetNames))]
    public void Target_ShortMutationRun_FindsNothing(string target)
    {
        var corpus = Directory.GetFiles(Path.Combine(s_fuzzDir, "corpus", target)).Select(File.ReadAllBytes);
        var fuzzer = new MutationFuzzer(FuzzTargets.All[target], corpus, seed: 12345);

        var crashes = fuzzer.Run(TimeSpan.FromSeconds(10), maxExecutions: 3000);

        Assert.True(crashes.Count == 0, string.Join("\n", crashes.Select(c => $"{Convert.ToHexString(c.Input)}: {c.Error}")));
    }
}
