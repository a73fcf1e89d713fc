// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>A simulated TCP connection between a connector and an acceptor node.</summary>
internal sealed class SimConnection
{
    public SimConnection(int id, int connector, int acceptor)
    {
        Id = id;
        ToAcceptor = new SimPipe(connector, acceptor);
        ToConnector = new SimPipe(acceptor, connector);
        TapToAcceptor = new WireTap(fromConnector: true);
        TapToConnector = new WireTap(fromConnector: false) { Reverse = TapToAcceptor };
        TapToAcceptor.Reverse = TapToConnector;
    }

    public int Id { get; }

    public SimPipe ToAcceptor { get; }

    public SimPipe ToConnector { get; }

    public WireTap TapToAcceptor { get; }

    public WireTap TapToConnector { get; }

    public SimEndpoint? Connector { get; set; }

    public SimEndpoint? Acceptor { get; set; }

    public bool Cut { get; set; }
}
