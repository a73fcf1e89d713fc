// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;

namespace Stickpeer.Tables.Declaration;

/// <summary>HAProxy's time and size syntax (<c>10s</c>, <c>30m</c>, <c>1m</c> entries = 2^20, …).</summary>
public static class ConfigValueParser
{
    /// <summary>Largest time HAProxy accepts for a timer (2^31 − 1 ms, about 24.8 days).</summary>
    public const long MaxTimeMs = int.MaxValue;

    /// <summary>
    /// Parses a time: digits then an optional unit <c>us</c>, <c>ms</c> (default), <c>s</c>,
    /// <c>m</c>, <c>h</c> or <c>d</c>. Microseconds round up to whole milliseconds.
    /// </summary>
    public static bool TryParseTimeMs(string text, out long milliseconds, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        milliseconds = 0;
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0)
        {
            error = $"invalid time value '{text}'";
            return false;
        }

        if (!long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            error = $"time value '{text}' is too large";
            return false;
        }

        var unit = text[digits..];
        long? ms = unit switch
        {
            "" or "ms" => value,
            "us" => (value + 999) / 1000,
            "s" => Mul(value, 1000),
            "m" => Mul(value, 60_000),
            "h" => Mul(value, 3_600_000),
            "d" => Mul(value, 86_400_000),
            _ => null,
        };
        if (ms is null)
        {
            error = $"unknown time unit '{unit}' in '{text}' (expected us, ms, s, m, h or d)";
            return false;
        }

        if (ms.Value > MaxTimeMs || ms.Value < 0)
        {
            error = $"time value '{text}' is too large (max 2147483647 ms, about 24.8 days)";
            return false;
        }

        milliseconds = ms.Value;
        error = null;
        return true;
    }

    /// <summary>Parses a size: digits then an optional <c>k</c>, <c>m</c> or <c>g</c> (2^10, 2^20, 2^30).</summary>
    public static bool TryParseSize(string text, out long size, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        size = 0;
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            error = $"invalid size '{text}'";
            return false;
        }

        long? result = text[digits..].ToLowerInvariant() switch
        {
            "" => value,
            "k" => Mul(value, 1L << 10),
            "m" => Mul(value, 1L << 20),
            "g" => Mul(value, 1L << 30),
            _ => null,
        };
        if (result is null or < 0 or > int.MaxValue)
        {
            error = result is null ? $"unknown size suffix in '{text}' (expected k, m or g)" : $"size '{text}' is too large";
            return false;
        }

        size = result.Value;
        error = null;
        return true;
    }

    private static long Mul(long a, long b) => a > long.MaxValue / b ? -1 : a * b;
}
