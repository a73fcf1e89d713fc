// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Collections.Concurrent;

namespace Stickpeer.Tables.Engine;

/// <summary>
/// Shares server_key strings between entries (HAProxy's dictionary): equal names are one
/// instance. Bounded, so a peer sending endless distinct strings cannot grow it forever.
/// </summary>
internal static class ServerKeyInterner
{
    private const int MaxEntries = 65536;
    private static readonly ConcurrentDictionary<string, string> s_strings = new(StringComparer.Ordinal);

    public static string Intern(string value)
    {
        if (s_strings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return s_strings.Count < MaxEntries ? s_strings.GetOrAdd(value, value) : value;
    }
}
