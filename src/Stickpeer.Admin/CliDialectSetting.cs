// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using Stickpeer.Admin.Tables;

namespace Stickpeer.Admin;

/// <summary>
/// The operator's choice of CLI dialect: <c>STICKPEER_CLI_DIALECT</c> = <c>3</c> (default:
/// HAProxy 2.7–3.x, <c>shard=</c> in <c>show table</c>) or <c>2.6</c>.
/// </summary>
/// <remarks>
/// An environment variable, not a configuration keyword, because the configuration file uses
/// HAProxy's syntax and an unknown keyword there is an error; see docs/operations.md.
/// </remarks>
public static class CliDialectSetting
{
    /// <summary>The environment variable read by the daemon.</summary>
    public const string Variable = "STICKPEER_CLI_DIALECT";

    /// <summary>Parses <c>2.6</c> or <c>3</c> (also <c>3.x</c>); null or empty gives the default.</summary>
    public static bool TryParse(string? text, out CliDialect dialect, [NotNullWhen(false)] out string? error)
    {
        error = null;
        switch (text?.Trim())
        {
            case null or "" or "3" or "3.x":
                dialect = CliDialect.Haproxy3;
                return true;
            case "2.6":
                dialect = CliDialect.Haproxy26;
                return true;
            default:
                dialect = CliDialect.Haproxy3;
                error = $"{Variable}='{text}': expected '3' (HAProxy 2.7 to 3.x, with shard=) or '2.6'";
                return false;
        }
    }

    /// <summary>Reads <see cref="Variable"/> from the environment.</summary>
    public static bool TryFromEnvironment(out CliDialect dialect, [NotNullWhen(false)] out string? error) =>
        TryParse(Environment.GetEnvironmentVariable(Variable), out dialect, out error);
}
