// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;

namespace Stickpeer.Node.Configuration;

/// <summary>HAProxy's number formats: times with units (default ms) and sizes with k/m/g suffixes.</summary>
public static class ConfigUnits
{
    /// <summary>Parses a time such as <c>30s</c>, <c>5m</c>, <c>100</c> (ms) or <c>1500us</c> into milliseconds.</summary>
    public static bool TryParseMilliseconds(string text, out long milliseconds)
    {
        ArgumentNullException.ThrowIfNull(text);
        milliseconds = 0;
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var unit = text.AsSpan(digits);
        long? result = unit switch
        {
            "" or "ms" => value,
            "us" => value / 1000,
            "s" => Multiply(value, 1000),
            "m" => Multiply(value, 60_000),
            "h" => Multiply(value, 3_600_000),
            "d" => Multiply(value, 86_400_000),
            _ => null,
        };
        if (result is null)
        {
            return false;
        }

        milliseconds = result.Value;
        return true;
    }

    /// <summary>Parses a size such as <c>1024</c>, <c>100k</c>, <c>1m</c> or <c>2g</c> (powers of 1024).</summary>
    public static bool TryParseSize(string text, out long size)
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
            return false;
        }

        long? result = text.AsSpan(digits) switch
        {
            "" => value,
            "k" or "K" => Multiply(value, 1L << 10),
            "m" or "M" => Multiply(value, 1L << 20),
            "g" or "G" => Multiply(value, 1L << 30),
            _ => null,
        };
        if (result is null)
        {
            return false;
        }

        size = result.Value;
        return true;
    }

    private static long? Multiply(long value, long factor) =>
        value > long.MaxValue / factor ? null : value * factor;
}
