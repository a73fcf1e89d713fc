// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using Stickpeer.Tables.Admin;

namespace Stickpeer.Admin;

/// <summary>
/// The operator's choice of <c>show table</c> entry line: <c>STICKPEER_SHOW_TABLE_FORMAT</c> =
/// <c>3</c> (default, HAProxy 2.7–3.x with <c>shard=</c>) or <c>2.6</c>.
/// </summary>
/// <remarks>
/// An environment variable because the configuration file belongs to HAProxy's syntax and its
/// parser is shared with HAProxy's keywords; see docs/operations.md.
/// </remarks>
public static class ShowTableFormatSetting
{
    /// <summary>The environment variable read by the daemon.</summary>
    public const string Variable = "STICKPEER_SHOW_TABLE_FORMAT";

    /// <summary>Parses <c>2.6</c> or <c>3</c> (also <c>3.x</c>); null or empty gives the default.</summary>
    public static bool TryParse(string? text, out ShowTableFormat format, [NotNullWhen(false)] out string? error)
    {
        error = null;
        switch (text?.Trim())
        {
            case null or "" or "3" or "3.x":
                format = ShowTableFormat.Haproxy3;
                return true;
            case "2.6":
                format = ShowTableFormat.Haproxy26;
                return true;
            default:
                format = ShowTableFormat.Haproxy3;
                error = $"{Variable}='{text}': expected '3' (HAProxy 2.7 to 3.x, with shard=) or '2.6'";
                return false;
        }
    }

    /// <summary>Reads <see cref="Variable"/> from the environment.</summary>
    public static bool TryFromEnvironment(out ShowTableFormat format, [NotNullWhen(false)] out string? error) =>
        TryParse(Environment.GetEnvironmentVariable(Variable), out format, out error);
}
