// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration;
using Stickpeer.Node.Persistence;

namespace Stickpeer.Daemon.Hosting;

/// <summary>
/// Stickpeer's own settings, for what HAProxy's configuration grammar has no keyword for: a
/// settings file (<c>--settings FILE</c>) of <c>key value</c> lines (<c>#</c> starts a comment),
/// overridden by the same options on the command line. Keys: <c>data-dir DIR</c>,
/// <c>fsync always|never|every INTERVAL</c>, <c>snapshot-log-size BYTES[k|m|g]</c>,
/// <c>max-pending-size BYTES[k|m|g]</c>, and the limits on what peers control
/// (<see cref="LimitKeys"/>, each followed by a count; see <c>docs/security.md</c>).
/// An error names <c>file:line</c>.
/// </summary>
public sealed record StickpeerSettings
{
    /// <summary>The data directory (null: nothing is written).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The fsync policy words (e.g. <c>["every", "1s"]</c>), null for the default.</summary>
    public IReadOnlyList<string>? Fsync { get; init; }

    /// <summary>Log bytes that trigger a snapshot (null for the default).</summary>
    public long? SnapshotLogBytes { get; init; }

    /// <summary>The most bytes of changes that may wait in memory for the disk (null for the default).</summary>
    public long? MaxPendingBytes { get; init; }

    /// <summary>Limits on what remote peers control.</summary>
    public PeerLimits Limits { get; init; } = PeerLimits.Default;

    /// <summary>The settings keys of <see cref="Limits"/>, each with the smallest value it takes.</summary>
    public static IReadOnlyDictionary<string, int> LimitKeys { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["max-updates-per-second"] = 0,
        ["update-burst"] = 1,
        ["max-unacked-updates"] = 0,
        ["max-tables-per-session"] = 1,
        ["max-message-size"] = 1024,
        ["max-pending-connections"] = 1,
        ["max-pending-connections-per-address"] = 1,
        ["handshake-timeout"] = 1,
    };

    /// <summary>Reads a settings file; <see cref="ConfigurationException"/> names file:line on an error.</summary>
    public static StickpeerSettings Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path}: cannot read the settings file: {ex.Message}");
        }

        var settings = new StickpeerSettings();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i];
            var hash = text.IndexOf('#', StringComparison.Ordinal);
            var words = (hash >= 0 ? text[..hash] : text).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            var where = $"{path}:{i + 1}";
            if (!seen.Add(words[0]))
            {
                throw new ConfigurationException($"{where}: '{words[0]}' is set twice");
            }

            settings = words[0] switch
            {
                "data-dir" when words.Length == 2 => settings with { DataDirectory = words[1] },
                "data-dir" => throw new ConfigurationException($"{where}: 'data-dir' expects one directory (no spaces)"),
                "fsync" => settings with { Fsync = CheckFsync(words[1..], where) },
                "snapshot-log-size" when words.Length == 2 && TryParseSize(words[1], out var bytes) => settings with { SnapshotLogBytes = bytes },
                "snapshot-log-size" => throw new ConfigurationException($"{where}: 'snapshot-log-size' expects a size such as 64m (at least 1k)"),
                "max-pending-size" when words.Length == 2 && TryParseSize(words[1], out var pending) => settings with { MaxPendingBytes = pending },
                "max-pending-size" => throw new ConfigurationException($"{where}: 'max-pending-size' expects a size such as 32m (at least 1k)"),
                _ when LimitKeys.TryGetValue(words[0], out var least) => settings with { Limits = WithLimit(settings.Limits, words, least, where) },
                _ => throw new ConfigurationException($"{where}: unknown setting '{words[0]}' (known: data-dir, fsync, snapshot-log-size, max-pending-size, {string.Join(", ", LimitKeys.Keys)})"),
            };
        }

        return settings;
    }

    /// <summary>Settings from the file (if any) with the command line's on top.</summary>
    public StickpeerSettings Override(string? dataDirectory, IReadOnlyList<string>? fsync) => this with
    {
        DataDirectory = dataDirectory ?? DataDirectory,
        Fsync = fsync is null ? Fsync : CheckFsync(fsync, "--fsync"),
    };

    /// <summary>The persistence options, or null when no data directory is set.</summary>
    public PersistenceOptions? ToPersistenceOptions()
    {
        if (DataDirectory is null)
        {
            return null;
        }

        var options = new PersistenceOptions { DataDirectory = DataDirectory };
        if (Fsync is not null && PersistenceOptions.TryParseFsync(Fsync, out var mode, out var interval, out _))
        {
            options = options with { Fsync = mode, FsyncInterval = interval };
        }

        options = SnapshotLogBytes is { } bytes ? options with { SnapshotLogBytes = bytes } : options;
        return MaxPendingBytes is { } pending ? options with { MaxPendingBytes = pending } : options;
    }

    private static PeerLimits WithLimit(PeerLimits limits, string[] words, int least, string where)
    {
        if (words.Length != 2 || !int.TryParse(words[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < least)
        {
            var zero = least == 0 ? " (0: no limit)" : string.Empty;
            throw new ConfigurationException($"{where}: '{words[0]}' expects one whole number from {least} to {int.MaxValue}{zero}");
        }

        return words[0] switch
        {
            "max-updates-per-second" => limits with { MaxUpdatesPerSecond = n },
            "update-burst" => limits with { UpdateBurst = n },
            "max-unacked-updates" => limits with { MaxUnackedUpdates = n },
            "max-tables-per-session" => limits with { MaxTablesPerSession = n },
            "max-message-size" => limits with { MaxMessageSize = n },
            "max-pending-connections" => limits with { MaxPendingConnections = n },
            "handshake-timeout" => limits with { HandshakeTimeoutSeconds = n },
            _ => limits with { MaxPendingConnectionsPerAddress = n },
        };
    }

    private static IReadOnlyList<string> CheckFsync(IReadOnlyList<string> words, string where) =>
        PersistenceOptions.TryParseFsync(words, out _, out _, out var error) ? words : throw new ConfigurationException($"{where}: {error}");

    private static bool TryParseSize(string text, out long bytes)
    {
        var unit = text.Length > 0 ? char.ToLowerInvariant(text[^1]) : ' ';
        var (digits, factor) = unit switch
        {
            'k' => (text[..^1], 1L << 10),
            'm' => (text[..^1], 1L << 20),
            'g' => (text[..^1], 1L << 30),
            _ => (text, 1L),
        };
        bytes = 0;
        if (!long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n > (long.MaxValue / factor))
        {
            return false;
        }

        bytes = n * factor;
        return bytes >= 1024;
    }
}
