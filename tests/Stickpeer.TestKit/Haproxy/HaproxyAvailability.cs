// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;

namespace Stickpeer.TestKit.Haproxy;

/// <summary>Tells whether a <c>haproxy</c> binary is on PATH (tests that need it skip otherwise).</summary>
public static class HaproxyAvailability
{
    private static readonly Lazy<string?> s_path = new(FindOnPath);
    private static readonly Lazy<string?> s_version = new(ReadVersion);

    /// <summary>True when <c>haproxy</c> is on PATH.</summary>
    public static bool IsInstalled => s_path.Value is not null;

    /// <summary>Full path of the binary, or null.</summary>
    public static string? ExecutablePath => s_path.Value;

    /// <summary>The first line of <c>haproxy -v</c>, or null.</summary>
    public static string? VersionLine => s_version.Value;

    /// <summary>Message used when skipping.</summary>
    public const string SkipReason = "haproxy is not installed (not on PATH)";

    private static string? FindOnPath()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/sbin", "/usr/local/sbin"]))
        {
            var candidate = Path.Combine(dir, "haproxy");
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
}
