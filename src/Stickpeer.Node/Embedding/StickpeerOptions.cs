// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Embedding;

/// <summary>
/// What an embedded node runs: either declared in code (<see cref="LocalPeerName"/>, <see cref="Bind"/>,
/// <see cref="Peers"/>, <see cref="Tables"/>, <see cref="Tls"/>) or read from a HAProxy configuration
/// (<see cref="ConfigFile"/> or <see cref="ConfigText"/>), never both. <see cref="Validate"/> lists every problem.
/// </summary>
public sealed class StickpeerOptions
{
    /// <summary>This node's peer name: the name HAProxy's <c>peers</c> section gives it (HAProxy's <c>localpeer</c>). Required in code; with a configuration it overrides <c>localpeer</c>.</summary>
    public string? LocalPeerName { get; set; }

    /// <summary>The peers section name when declared in code; HAProxy sees the tables as <c>&lt;section&gt;/&lt;table&gt;</c>.</summary>
    public string PeersSection { get; set; } = "stickpeer";

    /// <summary>Where this node listens for its peers, <c>host:port</c> (e.g. <c>127.0.0.1:10000</c>).</summary>
    public string? Bind { get; set; }

    /// <summary>The remote peers (HAProxy processes or other Stickpeer nodes), each with its peers address.</summary>
    public IList<StickpeerPeer> Peers { get; } = [];

    /// <summary>The tables, each with a HAProxy <c>stick-table</c> declaration.</summary>
    public IList<StickpeerTableDeclaration> Tables { get; } = [];

    /// <summary>TLS on the listener and towards every peer (null: plain TCP).</summary>
    public StickpeerTlsOptions? Tls { get; set; }

    /// <summary>A HAProxy configuration file to read the <c>peers</c> sections and tables from.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>HAProxy configuration text to read the <c>peers</c> sections and tables from.</summary>
    public string? ConfigText { get; set; }

    /// <summary>How many changes a <see cref="StickpeerNode.WatchAsync"/> consumer may fall behind before the oldest are dropped.</summary>
    public int ChangeBufferCapacity { get; set; } = 1024;

    /// <summary>How long a stop waits for peers to receive what is still queued.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem of these options, each a sentence naming the option; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate() => StickpeerOptionsValidator.Validate(this);
}

/// <summary>A remote peer: its name in the peers section and its address (<c>host:port</c>).</summary>
/// <param name="Name">The peer's name, as in HAProxy's <c>peer &lt;name&gt; &lt;addr&gt;</c>.</param>
/// <param name="Address">Its peers address, <c>host:port</c>.</param>
public sealed record StickpeerPeer(string Name, string Address);

/// <summary>A table declared in code.</summary>
/// <param name="Name">The table name inside the peers section (HAProxy: <c>&lt;section&gt;/&lt;name&gt;</c>).</param>
/// <param name="Declaration">Its HAProxy declaration, e.g. <c>type ip size 100k expire 60s store http_req_rate(10s),gpc0</c>.</param>
public sealed record StickpeerTableDeclaration(string Name, string Declaration);

/// <summary>TLS for a node declared in code (mutual TLS when <see cref="CaFile"/> is set).</summary>
public sealed record StickpeerTlsOptions
{
    /// <summary>PEM file with this node's certificate, its chain and its private key.</summary>
    public required string CertificateFile { get; init; }

    /// <summary>PEM bundle of the CAs peers' certificates must chain to; null: peers are not verified.</summary>
    public string? CaFile { get; init; }
}
