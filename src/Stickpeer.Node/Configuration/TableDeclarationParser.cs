// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using Stickpeer.Node.Configuration.Keywords;
using Stickpeer.Tables.Declaration;

namespace Stickpeer.Node.Configuration;

/// <summary>
/// Checks the arguments of <c>stick-table</c> (proxies) and <c>table &lt;name&gt;</c> (peers sections).
/// The syntax is parsed by the tables engine (<see cref="StickTableDeclaration.Parse"/>); this class adds
/// the rules that depend on where the declaration appears in the configuration.
/// </summary>
public static class TableDeclarationParser
{
    /// <summary>
    /// Parses <paramref name="tokens"/> (the words after <c>stick-table</c> or after the table name);
    /// arguments HAProxy knows but Stickpeer ignores are reported in <paramref name="ignored"/>.
    /// </summary>
    public static bool TryParse(
        IReadOnlyList<string> tokens,
        bool inProxy,
        [NotNullWhen(true)] out StickTableDeclaration? declaration,
        out string? error,
        ICollection<string>? ignored = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        declaration = null;

        // The tables parser accepts a leading "stick-table" word; here it has already been consumed.
        if (tokens.Count > 0 && tokens[0] == "stick-table")
        {
            error = "unknown argument 'stick-table'.";
            return false;
        }

        if (!TryFilterKnown(tokens, ignored, out var kept, out error))
        {
            return false;
        }

        var result = StickTableDeclaration.Parse(kept);
        if (!result.IsSuccess)
        {
            error = result.Error;
            return false;
        }

        if (!inProxy && result.Declaration.PeersSection is not null)
        {
            error = "'peers' is not allowed in a table of a peers section (the table already belongs to it)";
            return false;
        }

        declaration = result.Declaration;
        error = null;
        return true;
    }

    /// <summary>
    /// Checks every argument word against HAProxy's table grammar (<see cref="HaproxyKeywords.Table"/>):
    /// an unknown word fails with HAProxy's "unknown argument" wording; a known word Stickpeer ignores is
    /// dropped before the tables engine sees it.
    /// </summary>
    private static bool TryFilterKnown(IReadOnlyList<string> tokens, ICollection<string>? ignored, out List<string> kept, out string? error)
    {
        kept = new List<string>(tokens.Count);
        error = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = tokens[i];
            if (!HaproxyKeywords.Table.TryGet(word, out var keyword))
            {
                var hint = HaproxyKeywords.Table.Suggest(word) is { } near ? $" Did you mean '{near}' maybe ?" : string.Empty;
                error = $"unknown argument '{word}'.{hint}";
                return false;
            }

            var length = 1 + keyword.Arguments;
            if (word == "type" && i + 2 < tokens.Count && tokens[i + 2] == "len")
            {
                length += 2;
            }

            length = Math.Min(length, tokens.Count - i);
            switch (keyword.Support)
            {
                case KeywordSupport.Implemented:
                    for (var k = 0; k < length; k++)
                    {
                        kept.Add(tokens[i + k]);
                    }

                    break;
                case KeywordSupport.Ignored:
                    ignored?.Add($"table argument '{word}' ignored: {keyword.Note}");
                    break;
                case KeywordSupport.Refused:
                    error = $"'{word}' is not supported by stickpeer: {keyword.Note}";
                    return false;
            }

            i += length - 1;
        }

        return true;
    }
}
