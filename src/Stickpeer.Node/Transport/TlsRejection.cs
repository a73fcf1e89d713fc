// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Transport;

/// <summary>Why a certificate check refused the other side: the kind for metrics, the reason for logs.</summary>
internal readonly record struct TlsRejection(TransportFailure Failure, string Reason);
