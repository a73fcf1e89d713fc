// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Tests.Configuration;

public sealed class ConfigTokenizerTests
{
    private static readonly Dictionary<string, string> s_env = new() { ["PORT"] = "10000", ["HOST"] = "127.0.0.1", ["EMPTY"] = "" };

    private static List<string> Tokenize(string line)
    {
        Assert.True(ConfigTokenizer.TryTokenize(line, n => s_env.GetValueOrDefault(n), out var words, out var error), error);
        return words;
    }

    [Theory]
    [InlineData("  peer  a\t127.0.0.1:1 ", new[] { "peer", "a", "127.0.0.1:1" })]
    [InlineData("peer a # comment here", new[] { "peer", "a" })]
    [InlineData("# whole line", new string[0])]
    [InlineData("a#b c", new[] { "a" })]
    [InlineData("a 'b c' d", new[] { "a", "b c", "d" })]
    [InlineData("a 'no \\escape ${PORT}'", new[] { "a", "no \\escape ${PORT}" })]
    [InlineData("a \"x y\"", new[] { "a", "x y" })]
    [InlineData("a \"\"", new[] { "a", "" })]
    [InlineData("a b\\ c", new[] { "a", "b c" })]
    [InlineData("a \\#b", new[] { "a", "#b" })]
    [InlineData("a \"q\\\"q\"", new[] { "a", "q\"q" })]
    [InlineData("a \\x41\\x42", new[] { "a", "AB" })]
    [InlineData("a \\z", new[] { "a", "\\z" })]
    [InlineData("a \"#not comment\"", new[] { "a", "#not comment" })]
    [InlineData("bind \"${HOST}:${PORT}\"", new[] { "bind", "127.0.0.1:10000" })]
    [InlineData("bind ${HOST}", new[] { "bind", "${HOST}" })]
    [InlineData("x \"${UNSET}\"", new[] { "x", "" })]
    [InlineData("x \"${UNSET-dflt}\"", new[] { "x", "dflt" })]
    [InlineData("x \"${EMPTY-dflt}\"", new[] { "x", "" })]
    [InlineData("x pre\"${PORT}\"post", new[] { "x", "pre10000post" })]
    [InlineData("line\r", new[] { "line" })]
    public void TryTokenize_ValidLine_SplitsLikeHaproxy(string line, string[] expected)
    {
        Assert.Equal(expected, Tokenize(line));
    }

    [Theory]
    [InlineData("a \"open", "unmatched double quote")]
    [InlineData("a 'open", "unmatched single quote")]
    [InlineData("a \"${PORT\"", "missing closing")]
    [InlineData("a \"${BAD NAME}\"", "invalid environment variable name")]
    [InlineData("a \\xZZ", "hexadecimal")]
    public void TryTokenize_MalformedLine_ReturnsError(string line, string expected)
    {
        Assert.False(ConfigTokenizer.TryTokenize(line, _ => null, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
