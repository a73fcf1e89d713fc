// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>One <c>peer</c> or <c>server</c> line of a <c>peers</c> section.</summary>
public sealed record PeerDefinition(string Name, ConfigEndpoint? Address, TlsSettings Tls, ConfigLocation Location)
{
    /// <summary>True when this entry is the local node (its name is the local peer name).</summary>
    public bool IsLocal { get; init; }
}
