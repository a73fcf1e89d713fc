// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;

namespace Stickpeer.Node.Persistence;

/// <summary>Where and how a node keeps its tables across restarts (docs/persistence.md).</summary>
public sealed record PersistenceOptions
{
    /// <summary>The data directory (created if missing). Its files belong to one node at a time.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The durability policy (default <see cref="FsyncMode.Every"/>).</summary>
    public FsyncMode Fsync { get; init; } = FsyncMode.Every;

    /// <summary>The interval of <see cref="FsyncMode.Every"/> (default 1 s).</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A snapshot is written once the logs since the last one hold more than this many bytes and
    /// more than the last snapshot's size (default 64 MiB), which keeps the disk space at most
    /// about twice the live data and each byte written about twice.
    /// </summary>
    public long SnapshotLogBytes { get; init; } = 64L << 20;

    /// <summary>
    /// The most bytes of encoded changes that may wait in memory for the disk (default 32 MiB).
    /// Beyond it persistence stops (the node keeps serving from memory, ACKs no longer wait) and
    /// comes back by itself with a full snapshot once the disk takes writes again.
    /// </summary>
    public long MaxPendingBytes { get; init; } = 32L << 20;

    /// <summary>
    /// How long a failing write or fsync is retried before persistence stops (default 3 s). It is
    /// shorter than a peer's 5 s session timeout: while the disk refuses, output to peers is held,
    /// and a longer wait would cut the mesh as well.
    /// </summary>
    public TimeSpan WriteFailureTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a stopped persistence tries the snapshot that brings it back (default 5 s).</summary>
    public TimeSpan RecoveryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Parses the fsync policy as written on the command line or in a settings file:
    /// <c>always</c>, <c>never</c>, <c>every &lt;interval&gt;</c> (interval like <c>1s</c>, <c>200ms</c>, <c>2m</c>; a bare number is ms).
    /// </summary>
    public static bool TryParseFsync(IReadOnlyList<string> words, out FsyncMode mode, out TimeSpan interval, out string? error)
    {
        ArgumentNullException.ThrowIfNull(words);
        mode = FsyncMode.Every;
        interval = TimeSpan.FromSeconds(1);
        error = null;
        switch (words.Count > 0 ? words[0] : string.Empty)
        {
            case "always" when words.Count == 1:
                mode = FsyncMode.Always;
                return true;
            case "never" when words.Count == 1:
                mode = FsyncMode.Never;
                return true;
            case "every" when words.Count == 2:
                if (TryParseInterval(words[1], out interval))
                {
                    return true;
                }

                error = $"invalid fsync interval '{words[1]}' (expected e.g. 1s, 200ms, 2m; between 1ms and 1h)";
                return false;
            default:
                error = $"invalid fsync policy '{string.Join(' ', words)}' (expected 'always', 'every <interval>' or 'never')";
                return false;
        }
    }

    private static bool TryParseInterval(string text, out TimeSpan interval)
    {
        interval = default;
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        long? ms = text[digits..] switch
        {
            "" or "ms" => n,
            "s" => n * 1000,
            "m" => n * 60_000,
            "h" => n * 3_600_000,
            _ => null,
        };
        if (ms is not { } value || value < 1 || value > 3_600_000)
        {
            return false;
        }

        interval = TimeSpan.FromMilliseconds(value);
        return true;
    }
}
