// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;

namespace Stickpeer.Node.Configuration;

/// <summary>
/// Limits on what a remote peer controls, as set by an operator (the daemon's settings file;
/// <c>docs/security.md</c> lists each one with its default). A null value keeps the default of
/// <see cref="PeerNodeOptions"/>; 0 turns off the limits that allow it (rate and window).
/// </summary>
public sealed record PeerLimits
{
    /// <summary>No overrides: every default.</summary>
    public static PeerLimits Default { get; } = new();

    /// <summary><see cref="PeerNodeOptions.MaxUpdatesPerSecond"/> (settings key <c>max-updates-per-second</c>).</summary>
    public int? MaxUpdatesPerSecond { get; init; }

    /// <summary><see cref="PeerNodeOptions.UpdateBurst"/> (<c>update-burst</c>).</summary>
    public int? UpdateBurst { get; init; }

    /// <summary><see cref="PeerNodeOptions.MaxUnackedUpdates"/> (<c>max-unacked-updates</c>).</summary>
    public int? MaxUnackedUpdates { get; init; }

    /// <summary><see cref="PeerNodeOptions.MaxTablesPerSession"/> (<c>max-tables-per-session</c>).</summary>
    public int? MaxTablesPerSession { get; init; }

    /// <summary><see cref="PeerNodeOptions.MaxPayload"/> (<c>max-message-size</c>).</summary>
    public int? MaxMessageSize { get; init; }

    /// <summary><see cref="PeerNodeOptions.MaxPendingInbound"/> (<c>max-pending-connections</c>).</summary>
    public int? MaxPendingConnections { get; init; }

    /// <summary><see cref="PeerNodeOptions.MaxPendingInboundPerAddress"/> (<c>max-pending-connections-per-address</c>).</summary>
    public int? MaxPendingConnectionsPerAddress { get; init; }

    /// <summary><see cref="PeerNodeOptions.HandshakeTimeout"/> in whole seconds (<c>handshake-timeout</c>).</summary>
    public int? HandshakeTimeoutSeconds { get; init; }

    /// <summary>The options with every limit set here applied.</summary>
    public PeerNodeOptions Apply(PeerNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with
        {
            MaxUpdatesPerSecond = MaxUpdatesPerSecond ?? options.MaxUpdatesPerSecond,
            UpdateBurst = UpdateBurst ?? options.UpdateBurst,
            MaxUnackedUpdates = MaxUnackedUpdates ?? options.MaxUnackedUpdates,
            MaxTablesPerSession = MaxTablesPerSession ?? options.MaxTablesPerSession,
            MaxPayload = MaxMessageSize ?? options.MaxPayload,
            MaxPendingInbound = MaxPendingConnections ?? options.MaxPendingInbound,
            MaxPendingInboundPerAddress = MaxPendingConnectionsPerAddress ?? options.MaxPendingInboundPerAddress,
            HandshakeTimeout = HandshakeTimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.HandshakeTimeout,
        };
    }
}
