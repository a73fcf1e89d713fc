// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using Stickpeer.Tables.Declaration;

namespace Stickpeer.Node.Configuration;

/// <summary>
/// Checks the arguments of <c>stick-table</c> (proxies) and <c>table &lt;name&gt;</c> (peers sections).
/// The syntax is parsed by the tables engine (<see cref="StickTableDeclaration.Parse"/>); this class adds
/// the rules that depend on where the declaration appears in the configuration.
/// </summary>
public static class TableDeclarationParser
{
    /// <summary>Parses <paramref name="tokens"/> (the words after <c>stick-table</c> or after the table name).</summary>
    public static bool TryParse(
        IReadOnlyList<string> tokens,
        bool inProxy,
        [NotNullWhen(true)] out StickTableDeclaration? declaration,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        declaration = null;

        // The tables parser accepts a leading "stick-table" word; here it has already been consumed.
        if (tokens.Count > 0 && tokens[0] == "stick-table")
        {
            error = "unknown stick-table keyword 'stick-table'";
            return false;
        }

        var result = StickTableDeclaration.Parse(tokens);
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
}
