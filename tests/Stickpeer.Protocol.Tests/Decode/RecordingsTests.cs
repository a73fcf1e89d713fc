// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Decode;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Decode;

/// <summary>Decodes and re-encodes the committed real HAProxy recordings (no haproxy needed).</summary>
public sealed class RecordingsTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        var dir = Path.Combine(TestPaths.RepoRoot, "tests", "Stickpeer.Interop.Tests", "Recordings");
        foreach (var file in Directory.GetFiles(dir, "*.hex").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(TestPaths.RepoRoot, file));
        }

        data.Add(Path.Combine("samples", "sample-session.hex"));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Recording_DecodesFully_AndReencodesByteExact(string relativePath)
    {
        var bytes = HexInput.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, relativePath)));

        var result = SessionDecoder.Decode(bytes);

        Assert.True(result.Failure is null, result.Failure?.ToString());
        Assert.NotEmpty(result.Messages);
        Assert.DoesNotContain(result.Messages, m => m.Kind is DecodedMessageKind.Unknown or DecodedMessageKind.SkippedUpdate);
        var reencoded = SessionReencoder.Encode(result.Messages);
        var same = bytes.AsSpan().CommonPrefixLength(reencoded);
        Assert.True(
            same == bytes.Length && reencoded.Length == bytes.Length,
            $"re-encoded bytes differ at offset {same} ({result.Messages.LastOrDefault(m => m.Offset <= same)?.Text})");
    }

    [Fact]
    public void Recordings_CoverEveryUpdateFormAndDictionaryHits()
    {
        var all = Files().Select(row => (string)row.Data)
            .SelectMany(f => SessionDecoder.Decode(HexInput.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, f)))).Messages)
            .ToList();

        foreach (var type in new byte[] { 0x80, 0x81, 0x82, 0x84, 0x85, 0x86 })
        {
            Assert.Contains(all, m => m.Class == 10 && m.Type == type);
        }

        // A cached server_key is sent as "01 <id>": the same value in a shorter message than its first use.
        var withKey = all.Where(m => m.Kind == DecodedMessageKind.Update && m.Values!.Any(v => v.Text is not null)).ToList();
        Assert.True(withKey.Select(m => m.Length).Distinct().Count() > 1);
    }
}
