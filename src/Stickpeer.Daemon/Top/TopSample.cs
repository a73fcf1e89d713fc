// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Stickpeer.Daemon.Top;

/// <summary>One poll of the HTTP API: <c>/api/peers</c> and <c>/api/tables</c> as read, and when.</summary>
/// <param name="Peers">The <c>/api/peers</c> document.</param>
/// <param name="Tables">The <c>/api/tables</c> document.</param>
/// <param name="At">When it was read (for rates between two samples).</param>
public sealed record TopSample(JsonElement Peers, JsonElement Tables, DateTimeOffset At)
{
    /// <summary>Updates in + out of a peer (section/peer) in this sample, or null when it is absent.</summary>
    public long? PeerUpdates(string section, string peer)
    {
        foreach (var s in Peers.GetProperty("sections").EnumerateArray())
        {
            if (s.GetProperty("name").GetString() != section)
            {
                continue;
            }

            foreach (var p in s.GetProperty("peers").EnumerateArray())
            {
                if (p.GetProperty("name").GetString() == peer)
                {
                    var t = p.GetProperty("traffic");
                    return t.GetProperty("updatesIn").GetInt64() + t.GetProperty("updatesOut").GetInt64();
                }
            }
        }

        return null;
    }
}
