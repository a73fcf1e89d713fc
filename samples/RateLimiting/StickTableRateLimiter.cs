// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Threading.RateLimiting;
using Stickpeer.Node.Embedding;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Samples.RateLimiting;

/// <summary>
/// One client's limiter over the replicated table: a request counts (<c>http_req_cnt</c>, whose companion
/// <c>http_req_rate</c> moves with it, exactly as HAProxy's <c>track-sc0</c> counts) unless HAProxy counted it
/// already, then is refused when the shared rate is above the limit, like HAProxy's
/// <c>deny if { sc_http_req_rate(0) gt LIMIT }</c>. Refused requests count too, on both sides.
/// </summary>
internal sealed class StickTableRateLimiter : RateLimiter
{
    private readonly StickpeerTable _table;
    private readonly IPAddress _client;
    private readonly long _limit;
    private readonly bool _count;
    private readonly TimeProvider _time;
    private long _lastUse;

    public StickTableRateLimiter(StickpeerTable table, IPAddress client, long limit, bool count, TimeProvider time)
    {
        _table = table;
        _client = client;
        _limit = limit;
        _count = count;
        _time = time;
        _lastUse = time.GetTimestamp();
    }

    public override TimeSpan? IdleDuration => _time.GetElapsedTime(Interlocked.Read(ref _lastUse));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Interlocked.Exchange(ref _lastUse, _time.GetTimestamp());
        if (_count)
        {
            _table.Increment(_client, StickDataType.HttpReqCnt, permitCount);
        }

        _table.TryGetValue(_client, StickDataType.HttpReqRate, out var rate);
        return rate > _limit ? Lease.Refused : Lease.Granted;
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);
        public static readonly Lease Refused = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
