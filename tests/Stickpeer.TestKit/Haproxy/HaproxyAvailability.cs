// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Stickpeer.TestKit.Haproxy;

/// <summary>
/// Finds the HAProxy binary the tests run against: <c>STICKPEER_HAPROXY</c> (a path, or a
/// command name looked up on PATH) or else <c>haproxy</c> on PATH. CI sets the variable to
/// run the interop suite once per HAProxy version; tests that need the binary skip when it
/// is absent.
/// </summary>
public static partial class HaproxyAvailability
{
    /// <summary>The environment variable naming the binary.</summary>
    public const string Variable = "STICKPEER_HAPROXY";

    /// <summary>
    /// When set, no binary is used and tests skip with this text as the reason (CI sets it
    /// when the HAProxy 3.0 build could not be made, so those tests count as skipped).
    /// </summary>
    public const string UnavailableVariable = "STICKPEER_HAPROXY_UNAVAILABLE";

    private static readonly Lazy<string?> s_path = new(Find);
    private static readonly Lazy<string?> s_version = new(ReadVersion);

    /// <summary>True when the binary was found.</summary>
    public static bool IsInstalled => s_path.Value is not null;

    /// <summary>Full path of the binary, or null.</summary>
    public static string? ExecutablePath => s_path.Value;

    /// <summary>The first line of <c>haproxy -v</c>, or null.</summary>
    public static string? VersionLine => s_version.Value;

    /// <summary>Major and minor version (<c>2.6</c>, <c>3.0</c>) parsed from <see cref="VersionLine"/>, or null.</summary>
    public static Version? Version => ParseVersion(VersionLine);

    /// <summary>
    /// True for HAProxy 2.7 and later, whose <c>show table</c> prints <c>shard=N</c> after
    /// <c>exp=</c> (upstream 16b282f4b, first released in 2.7.0).
    /// </summary>
    public static bool PrintsShard => Version is { } v && v >= new Version(2, 7);

    /// <summary>
    /// True for HAProxy 3.2 and later, whose CLI accepts <c>data.&lt;type&gt;[&lt;idx&gt;]</c>
    /// (upstream e8b7337d8, first released in 3.2-dev2).
    /// </summary>
    public static bool AcceptsArrayIndex => Version is { } v && v >= new Version(3, 2);

    /// <summary>Message used when skipping.</summary>
    public static string SkipReason =>
        Environment.GetEnvironmentVariable(UnavailableVariable) is { Length: > 0 } why
            ? why
            : Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } wanted
            ? $"haproxy not found: {Variable}={wanted} is not an executable file or a command on PATH"
            : $"haproxy is not installed (not on PATH; set {Variable} to choose a binary)";

    /// <summary>One line naming the binary and version, for test output.</summary>
    public static string Describe() =>
        IsInstalled ? $"haproxy under test: {ExecutablePath} ({VersionLine ?? "version unknown"})" : SkipReason;

    /// <summary>Parses <c>HAProxy version 3.0.11-… 2025/…</c> into 3.0.</summary>
    public static Version? ParseVersion(string? versionLine)
    {
        var m = versionLine is null ? null : VersionRegex().Match(versionLine);
        return m is { Success: true }
            ? new Version(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    private static string? Find()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(UnavailableVariable)))
        {
            return null;
        }

        var wanted = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(wanted))
        {
            return FindOnPath("haproxy");
        }

        // A path is taken as given (no fallback to PATH: a CI run for one version must not
        // silently test another).
        if (wanted.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(wanted) ? Path.GetFullPath(wanted) : null;
        }

        return FindOnPath(wanted);
    }

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/sbin", "/usr/local/sbin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? ReadVersion()
    {
        if (s_path.Value is not { } exe)
        {
            return null;
        }

        var psi = new ProcessStartInfo(exe, "-v")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi);
        if (p is null)
        {
            return null;
        }

        var first = p.StandardOutput.ReadLine();
        if (!p.WaitForExit(5000))
        {
            p.Kill(true);
        }

        return first;
    }

    [GeneratedRegex(@"version (\d+)\.(\d+)")]
    private static partial Regex VersionRegex();
}
