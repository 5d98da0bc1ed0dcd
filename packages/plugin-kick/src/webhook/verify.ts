import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { SS_ERR_KICK_PUBLIC_KEY } from '../errors.js';

/** The string Kick signs: `${Kick-Event-Message-Id}.${Kick-Event-Message-Timestamp}.${raw body}` (docs.kick.com/events/webhook-security). */
export function signedPayload(messageId: string, timestamp: string, rawBody: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${messageId}.${timestamp}.`, 'utf8'), rawBody]);
}

/** Kick's RSA public key from its PEM (`-----BEGIN PUBLIC KEY-----`, PKIX). */
export function parsePublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new SS_ERR_KICK_PUBLIC_KEY(`not a PEM public key (${(error as Error).message.slice(0, 120)})`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new SS_ERR_KICK_PUBLIC_KEY(`an ${String(key.asymmetricKeyType)} key, Kick signs with RSA`);
  return key;
}

/**
 * True when `signatureB64` (the Kick-Event-Signature header, base64) is
 * Kick's RSA-SHA256 PKCS#1 v1.5 signature over the signed payload — the
 * scheme of Kick's Go example (`rsa.VerifyPKCS1v15(pub, crypto.SHA256, sha256(payload), sig)`).
 */
export function verifyKickSignature(key: KeyObject, messageId: string, timestamp: string, rawBody: Buffer, signatureB64: string): boolean {
  const signature = Buffer.from(signatureB64, 'base64');
  if (signature.length === 0) return false;
  try {
    return verify('sha256', signedPayload(messageId, timestamp, rawBody), { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}
