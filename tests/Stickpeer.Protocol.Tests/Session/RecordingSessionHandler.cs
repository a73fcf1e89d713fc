// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Tests.Session;

/// <summary>Records every callback; answers hellos with <see cref="HelloAnswer"/> and accepts every table.</summary>
internal sealed class RecordingSessionHandler : IPeerSessionHandler
{
    public HandshakeStatus HelloAnswer { get; set; } = HandshakeStatus.Success;

    public bool ThrowOnUpdate { get; set; }

    public List<string> Events { get; } = [];

    public List<(int Table, uint Id, string Key, ulong Gpc0)> Updates { get; } = [];

    public List<(int Table, uint Id)> Acks { get; } = [];

    public List<ControlMessageType> Controls { get; } = [];

    public SessionCloseReason? Closed { get; private set; }

    public int ClosedCalls { get; private set; }

    public HandshakeStatus OnHello(string peerName, int versionMinor)
    {
        Events.Add($"hello {peerName} 2.{versionMinor}");
        return HelloAnswer;
    }

    public void OnEstablished() => Events.Add("established");

    public int OnDefine(int senderTableId, TableSchema schema)
    {
        Events.Add($"define {senderTableId} {schema.Name}");
        return schema.Name == "ignored" ? 0 : 100 + senderTableId;
    }

    public void OnUpdate(int localTableId, DecodedUpdate update)
    {
        if (ThrowOnUpdate)
        {
            throw new InvalidOperationException("handler failure");
        }

        var gpc0 = update.Values.Of(StickDataType.Gpc0);
        Updates.Add((localTableId, update.UpdateId, System.Text.Encoding.ASCII.GetString(update.Key), gpc0.IsEmpty ? 0 : gpc0[0].Number));
    }

    /// <summary>Each run handed over: its length and how many updates were recorded before it.</summary>
    public List<(int Length, int Before)> Runs { get; } = [];

    /// <summary>For each ACK received: how many updates had been recorded by then.</summary>
    public List<int> UpdatesBeforeAck { get; } = [];

    public void OnUpdates(int localTableId, ReadOnlySpan<DecodedUpdate> updates)
    {
        Runs.Add((updates.Length, Updates.Count));
        foreach (var update in updates)
        {
            OnUpdate(localTableId, update);
        }
    }

    public void OnAck(int localTableId, uint updateId)
    {
        UpdatesBeforeAck.Add(Updates.Count);
        Acks.Add((localTableId, updateId));
    }

    public void OnControl(ControlMessageType control) => Controls.Add(control);

    public void OnClosed(SessionCloseReason reason, string detail)
    {
        Closed = reason;
        ClosedCalls++;
    }
}
