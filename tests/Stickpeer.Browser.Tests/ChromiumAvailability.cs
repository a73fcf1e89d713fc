// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Browser.Tests;

/// <summary>
/// Where the system Chromium is (Debian's <c>chromium</c> package; STICKPEER_CHROMIUM overrides
/// the path). Playwright's own browser download is not used: it needs the internet.
/// </summary>
internal static class ChromiumAvailability
{
    public const string DefaultPath = "/usr/bin/chromium";

    public static string Path { get; } = Environment.GetEnvironmentVariable("STICKPEER_CHROMIUM") is { Length: > 0 } p ? p : DefaultPath;

    /// <summary>Skips the calling test, saying why, when there is no Chromium to drive.</summary>
    public static void RequireOrSkip() =>
        Assert.SkipUnless(File.Exists(Path), $"no Chromium at {Path}: install Debian's chromium package (.ci/run does as root) or set STICKPEER_CHROMIUM");
}
