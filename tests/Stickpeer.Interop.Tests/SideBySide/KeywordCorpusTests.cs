// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Daemon.Cli;
using Stickpeer.Node.Configuration.Keywords;
using Stickpeer.TestKit.Config;
using Stickpeer.TestKit.Haproxy;

namespace Stickpeer.Interop.Tests.SideBySide;

/// <summary>
/// Every keyword of HAProxy's peers / stats / stats socket / table grammar, misspelt, is rejected by
/// Stickpeer with <c>file:line</c>, and the same file is rejected by <c>haproxy -c</c> at the same line:
/// a typo never leaves a node running with less than the operator wrote.
/// </summary>
[Trait("Category", "Interop")]
public sealed class KeywordCorpusTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-corpus-").FullName;

    public static TheoryData<string, string> Keywords()
    {
        var data = new TheoryData<string, string>();
        foreach (var table in new[] { HaproxyKeywords.Peers, HaproxyKeywords.Stats, HaproxyKeywords.StatsSocket, HaproxyKeywords.Table })
        {
            foreach (var keyword in table)
            {
                data.Add(table.Context, keyword.Name);
            }
        }

        return data;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [MemberData(nameof(Keywords))]
    public async Task MisspeltKeyword_RejectedWithFileAndLine_ByStickpeerAndHaproxy(string context, string keyword)
    {
        if (!HaproxyAvailability.IsInstalled)
        {
            Assert.Skip(HaproxyAvailability.SkipReason);
        }

        var ct = TestContext.Current.CancellationToken;
        var bad = Misspell(keyword);
        var socket = Path.Combine(_dir, "s.sock");
        var (text, line) = context switch
        {
            "peers" => ($"peers p\n    peer me 127.0.0.1:1\n    {bad} x\n", 3),
            "stats" => ($"global\n    stats {bad} 1\npeers p\n    peer me 127.0.0.1:1\n", 2),
            "stats socket" => ($"global\n    stats socket {socket} {bad}\npeers p\n    peer me 127.0.0.1:1\n", 2),
            "table" => ($"peers p\n    peer me 127.0.0.1:1\n    table t type string len 32 size 1k {bad} 1\n", 3),
            _ => throw new ArgumentOutOfRangeException(nameof(context), context, "no template"),
        };
        var path = Path.Combine(_dir, $"{context.Replace(' ', '-')}-{keyword}.cfg");
        await File.WriteAllTextAsync(path, text, ct);

        var stderr = new StringWriter();
        var code = await StickpeerCommand.RunAsync(["-c", "-f", path, "-L", "me"], TextReader.Null, TextWriter.Null, stderr, stop: ct);
        var (haproxyCode, haproxyOutput) = await HaproxyCheck.RunAsync(path, ct);

        Assert.True(code == ExitCodes.ConfigurationError, $"stickpeer accepted '{bad}' ({context} '{keyword}'): {stderr}");
        Assert.Contains($"{path}:{line}: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains($"'{bad}'", stderr.ToString(), StringComparison.Ordinal);
        Assert.True(haproxyCode != 0, $"haproxy -c accepted '{bad}': {haproxyOutput}");
        Assert.Contains($"[{path}:{line}]", haproxyOutput, StringComparison.Ordinal);
    }

    // A deterministic typo that is no keyword of any of the tables: neighbours swapped, else a letter added.
    private static string Misspell(string keyword)
    {
        var known = new HashSet<string>(new[] { HaproxyKeywords.Peers, HaproxyKeywords.Stats, HaproxyKeywords.StatsSocket, HaproxyKeywords.Table }
            .SelectMany(t => t.Select(k => k.Name)), StringComparer.Ordinal);
        if (keyword.Length >= 3 && keyword[1] != keyword[2])
        {
            var swapped = $"{keyword[0]}{keyword[2]}{keyword[1]}{keyword[3..]}";
            if (!known.Contains(swapped))
            {
                return swapped;
            }
        }

        return $"{keyword[0]}x{keyword[1..]}";
    }
}
