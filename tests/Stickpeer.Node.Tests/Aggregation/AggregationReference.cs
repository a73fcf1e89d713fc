// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Tests.Aggregation;

/// <summary>
/// The reference model of aggregation (docs/aggregation.md, "What is summed"), written from the
/// documented rules and independent of the engine: each peer's last values per key with the time
/// they arrived, summed over the contributions still alive.
/// </summary>
internal sealed class AggregationReference(uint sourceExpireMs, uint periodMs, IReadOnlyList<string> peers)
{
    private readonly Dictionary<(string Peer, string Key), Sent> _contributions = [];

    /// <summary>A peer's values as sent: counters, gpt0, server_id, and the rate as a tick on the receiver's clock.</summary>
    public readonly record struct Sent(uint Gpc0, uint HttpReqCnt, uint Gpt0, uint ServerId, uint RateTick, uint RateCurrent, uint RatePrevious, long ArrivedMs);

    /// <summary>The expected output for one key at one time.</summary>
    public readonly record struct Expected(int Contributors, uint Gpc0, uint HttpReqCnt, uint Gpt0, uint ServerId, uint RateAge, uint RateCurrent, uint RatePrevious);

    public void Receive(string peer, string key, Sent sent) => _contributions[(peer, key)] = sent;

    public IEnumerable<string> Keys => _contributions.Keys.Select(k => k.Key).Distinct();

    public Expected At(string key, long nowMs, uint nowTick)
    {
        var count = 0;
        uint gpc0 = 0, cnt = 0, gpt0 = 0, serverId = 0, curr = 0, prev = 0;
        uint? age = null;
        long newest = long.MinValue;
        foreach (var peer in peers)
        {
            if (!_contributions.TryGetValue((peer, key), out var c) || nowMs >= c.ArrivedMs + sourceExpireMs)
            {
                continue;
            }

            count++;
            gpc0 += c.Gpc0;
            cnt += c.HttpReqCnt;
            gpt0 = Math.Max(gpt0, c.Gpt0);
            if (c.ArrivedMs > newest)
            {
                newest = c.ArrivedMs;
                serverId = c.ServerId;
            }

            // The rate's periods as of now: one period over moves current to previous; two clear it.
            var a = unchecked(nowTick - c.RateTick);
            uint rc = c.RateCurrent, rp = c.RatePrevious;
            if (a >= 2L * periodMs)
            {
                rc = rp = 0;
            }
            else if (a >= periodMs)
            {
                (rc, rp, a) = (0, rc, a - periodMs);
            }

            if (rc != 0 || rp != 0)
            {
                age = age is { } y ? Math.Min(y, a) : a;
                curr += rc;
                prev += rp;
            }
        }

        return new Expected(count, gpc0, cnt, gpt0, serverId, age ?? 0, curr, prev);
    }

    /// <summary>The tick a receiver stores for a rate sent with <paramref name="ageMs"/> at <paramref name="nowTick"/> (even, like HAProxy's).</summary>
    public static uint TickFor(uint nowTick, uint ageMs) => unchecked(nowTick - ageMs) & ~1u;

    public static uint Rate(uint tick, uint current, uint previous, uint nowTick, uint periodMs) =>
        FreqCounter.Read(tick, current, previous, nowTick, periodMs);
}
