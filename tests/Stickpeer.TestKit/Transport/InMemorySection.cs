// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration;

namespace Stickpeer.TestKit.Transport;

/// <summary>
/// A peers section for hosts on an in-memory transport, built without a configuration file:
/// every peer's address is its name (port 1024), which the in-memory transports resolve.
/// </summary>
public static class InMemorySection
{
    private static readonly ConfigLocation s_location = new("in-memory", 0);

    /// <summary>
    /// Section <paramref name="name"/> as seen by <paramref name="local"/>, with <paramref name="remotes"/> as its other peers.
    /// It listens at the local peer's address, or at <paramref name="listenAs"/>'s when given (a second
    /// process of the same peer name, e.g. a reload's old process, cannot bind the name's address).
    /// </summary>
    public static PeersSectionDefinition Create(string local, IEnumerable<string> remotes, string name = "mesh", string? listenAs = null)
    {
        var self = Peer(local) with { IsLocal = true };
        return new PeersSectionDefinition(
            name,
            Disabled: false,
            [self, .. remotes.Select(Peer)],
            self,
            new BindDefinition(Peer(listenAs ?? local).Address!, TlsSettings.Disabled, s_location),
            [],
            s_location);
    }

    private static PeerDefinition Peer(string name) => new(name, new ConfigEndpoint(name, 1024), TlsSettings.Disabled, s_location);
}
