// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Session;

/// <summary>A hello as validated by an acceptor session.</summary>
/// <param name="VersionMajor">Protocol major version (always 2 once validated).</param>
/// <param name="VersionMinor">Protocol minor version (0 or 1); 0 means the peer is downgraded (no timed updates).</param>
/// <param name="TargetName">Line 2: the name the connector uses for us (equals our local peer name once validated).</param>
/// <param name="PeerName">Line 3, first token: the connector's local peer name.</param>
/// <param name="Rest">Line 3 after the first space (pid and relative pid; never checked).</param>
public readonly record struct PeerHello(int VersionMajor, int VersionMinor, string TargetName, string PeerName, string Rest);
