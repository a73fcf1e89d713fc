// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Scenario;

/// <summary>One direction of one relayed peers connection.</summary>
/// <param name="Relay">Which relay (<c>to-a</c> or <c>to-b</c>).</param>
/// <param name="ConnectionId">Connection number within the relay.</param>
/// <param name="From">Node that sent these bytes.</param>
/// <param name="To">Node that received them.</param>
/// <param name="IsConnectorSide">True for the connector's bytes (starts with the hello).</param>
/// <param name="Chunks">The bytes as read by the relay, with timestamps.</param>
internal sealed record RecordedDirection(string Relay, int ConnectionId, string From, string To, bool IsConnectorSide, IReadOnlyList<RecordedChunk> Chunks)
{
    public byte[] Bytes => Chunks.SelectMany(c => c.Data.ToArray()).ToArray();

    public string Name => $"{Relay}-c{ConnectionId}-{From}-to-{To}";
}
