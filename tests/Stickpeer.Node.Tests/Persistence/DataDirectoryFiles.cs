// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;

namespace Stickpeer.Node.Tests.Persistence;

/// <summary>Looks at a data directory's files from the outside.</summary>
internal static class DataDirectoryFiles
{
    public static List<string> Logs(string directory) =>
        [.. Directory.GetFiles(directory, "log-*.spl").Order(StringComparer.Ordinal)];

    public static ulong Generation(string logPath) =>
        ulong.Parse(Path.GetFileNameWithoutExtension(logPath).AsSpan(4), CultureInfo.InvariantCulture);
}
