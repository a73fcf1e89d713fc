// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>
/// A <c>log</c> line of <c>global</c>: where syslog messages go (a UNIX datagram socket such as
/// <c>/dev/log</c>, a UDP address, or <c>stdout</c>/<c>stderr</c>), their facility and the most verbose
/// severity sent (syslog numbers: 0 emerg … 7 debug).
/// </summary>
public sealed record LogTargetDefinition(
    string? SocketPath,
    ConfigEndpoint? Udp,
    string? Stream,
    int Facility,
    int MaxSeverity,
    int MinSeverity,
    int MaxLength,
    ConfigLocation Location)
{
    public override string ToString() => SocketPath ?? Stream ?? $"udp@{Udp}";
}
