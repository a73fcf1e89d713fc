// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>End-of-run checks: one session per pair, answered resync requests, then the value oracle (<see cref="SimOracle"/>).</summary>
internal sealed partial class Simulation
{
    private void FinalChecks()
    {
        var snapshots = new IReadOnlyDictionary<string, string>?[_hosts.Length];
        for (var i = 0; i < _hosts.Length; i++)
        {
            if (_hosts[i].Node is not { } node)
            {
                Violation($"{_hosts[i].Name} is down at the end of the run");
                continue;
            }

            try
            {
                snapshots[i] = node.Snapshot();
                foreach (var problem in node.EndOfRunProblems())
                {
                    Violation($"{_hosts[i].Name} after the quiet period: {problem}");
                }
            }
            catch (Exception ex)
            {
                Violation($"{_hosts[i].Name}: Snapshot threw {ex}");
                return;
            }
        }

        for (var i = 0; i < _hosts.Length; i++)
        {
            for (var j = i + 1; j < _hosts.Length; j++)
            {
                var live = _connections.Where(c =>
                    c.Connector is { Open: true } ce && c.Acceptor is { Open: true } ae &&
                    ((ce.Host == i && ae.Host == j) || (ce.Host == j && ae.Host == i)) &&
                    (c.TapToConnector.StatusOk || _hosts[i].Node?.SpeaksPeersProtocol == false)).ToArray();
                if (live.Length != 1)
                {
                    Violation($"{_names[i]}–{_names[j]}: {live.Length} established sessions after the quiet period (expected exactly 1)");
                }

                foreach (var c in live)
                {
                    if (_hosts[i].Node?.SpeaksPeersProtocol != true)
                    {
                        continue;
                    }

                    foreach (var tap in new[] { c.TapToAcceptor, c.TapToConnector })
                    {
                        if (tap.RequestOutstanding)
                        {
                            Violation($"c{c.Id}: a resync request (00 00) is still unanswered after the quiet period");
                        }

                        if (tap.Confirms != tap.Reverse!.LessonEndsSent)
                        {
                            Violation($"c{c.Id}: {tap.Reverse.LessonEndsSent} FINISHED/PARTIAL but {tap.Confirms} CONFIRM in reply");
                        }
                    }
                }
            }
        }

        _oracle.Check(
            _sched.NowMs,
            snapshots,
            _hosts.Select(h => h.LastCrashMs).ToArray(),
            _hosts.Select(h => h.LastEmptyCrashMs).ToArray(),
            _hosts.Select(h => h.LastLessonMs).ToArray(),
            _hosts.Select(h => h.Node?.LessonAppliesMs).ToArray(),
            _sc.WriteMode == SimWriteMode.OwnerPerKey,
            Violation);
    }
}
