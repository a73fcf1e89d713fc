// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Workload: one local write on a random key, recorded for the oracle.</summary>
internal sealed partial class Simulation
{
    private void Write()
    {
        var (table, key, owner) = _keys[_rnd.Next(_keys.Length)];
        var writer = _sc.WriteMode == SimWriteMode.OwnerPerKey ? owner : _rnd.Next(_hosts.Length);
        var host = _hosts[writer];
        var write = SimWorkload.RandomWrite(_rnd, table, key);
        if (host.Node is null)
        {
            _trace.Add(_sched.NowMs, "write-skipped", writer, -1, 0);
            return;
        }

        _trace.Add(_sched.NowMs, "write", writer, -1, 0, write.ToString());
        if (!Call(host, "Apply", n => n.Apply(write)))
        {
            return;
        }

        string? value = null;
        try
        {
            value = host.Node!.ReadEntry(table.Name, key);
        }
        catch (Exception ex)
        {
            Violation($"{host.Name}: ReadEntry threw {ex}");
            _stopped = true;
            return;
        }

        if (value is null)
        {
            Violation($"{host.Name}: entry {write.KeyId} absent right after a local write");
            return;
        }

        _oracle.Record(write.KeyId, writer, _sched.NowMs, value, table.ExpireMs);
    }
}
