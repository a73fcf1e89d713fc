// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;

namespace Stickpeer.Node.Transport;

/// <summary>Transport instruments (meter <c>Stickpeer.Node.Transport</c>).</summary>
public sealed class TransportMetrics : IDisposable
{
    public const string MeterName = "Stickpeer.Node.Transport";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _connectAttempts;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _tlsFailures;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly UpDownCounter<long> _open;

    private static readonly Lazy<TransportMetrics> s_shared = new(() => new TransportMetrics());

    public TransportMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _accepted = _meter.CreateCounter<long>("stickpeer.transport.connections.accepted", "{connection}", "Inbound peer connections accepted (after TLS).");
        _refused = _meter.CreateCounter<long>("stickpeer.transport.connections.refused", "{connection}", "Inbound connections closed at accept, tagged by the limit reached (pending_limit, address_limit, tls_limit).");
        _connectAttempts = _meter.CreateCounter<long>("stickpeer.transport.connections.attempted", "{connection}", "Outbound connection attempts, tagged by result.");
        _tlsFailures = _meter.CreateCounter<long>("stickpeer.transport.tls.handshake_failures", "{handshake}", "Failed TLS handshakes, tagged by direction and reason.");
        _bytesIn = _meter.CreateCounter<long>("stickpeer.transport.bytes.received", "By", "Bytes received from peers (after TLS).");
        _bytesOut = _meter.CreateCounter<long>("stickpeer.transport.bytes.sent", "By", "Bytes sent to peers (before TLS).");
        _open = _meter.CreateUpDownCounter<long>("stickpeer.transport.connections.open", "{connection}", "Peer connections currently open.");
    }

    /// <summary>
    /// The process-wide instance on one static meter, for hosts and transports given no metrics:
    /// a meter per host that nobody disposes stays registered for the life of the process, and every
    /// meter listener started later (each OpenTelemetry provider) walks all of them.
    /// </summary>
    internal static TransportMetrics Shared => s_shared.Value;

    internal void Accepted(string section) => _accepted.Add(1, new KeyValuePair<string, object?>("section", section));

    internal void Refused(string section, string reason) =>
        _refused.Add(1, new KeyValuePair<string, object?>("section", section), new KeyValuePair<string, object?>("reason", reason));

    internal void ConnectAttempt(string section, string result) =>
        _connectAttempts.Add(1, new KeyValuePair<string, object?>("section", section), new KeyValuePair<string, object?>("result", result));

    internal void TlsFailure(string section, string direction, string reason) =>
        _tlsFailures.Add(1, new KeyValuePair<string, object?>("section", section), new KeyValuePair<string, object?>("direction", direction), new KeyValuePair<string, object?>("reason", reason));

    internal void Received(long bytes) => _bytesIn.Add(bytes);

    internal void Sent(long bytes) => _bytesOut.Add(bytes);

    internal void Opened() => _open.Add(1);

    internal void Closed() => _open.Add(-1);

    public void Dispose() => _meter.Dispose();
}
