/**
 * What Latchkey says about itself to OAuth clients: the RFC 8414 authorization server metadata document
 * ({@link dev.latchkey.core.metadata.AuthorizationServerMetadata}), built from the same constants the endpoints
 * use, so it advertises only what they accept.
 */
package dev.latchkey.core.metadata;
