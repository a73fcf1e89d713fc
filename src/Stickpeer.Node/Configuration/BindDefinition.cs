// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>Where a peers section listens, with the listener's TLS parameters.</summary>
public sealed record BindDefinition(ConfigEndpoint Address, TlsSettings Tls, ConfigLocation Location);
