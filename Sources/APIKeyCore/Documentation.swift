// APIKeyCore: API keys without a framework.
//
//   Keys/          what a key is and how it is made (KeyGenerator, PlaintextAPIKey, KeyScheme)
//   Hashing/       what is stored for a key and how a presented key is checked against it,
//                  including every legacy djangorestframework-api-key format (Legacy/, Argon2/)
//   Parsing/       where a request carries its key (KeyHeader)
//   Storage/       what verification needs from a database (APIKeyStore, APIKeyRecord)
//   Verification/  the decision itself (APIKeyVerifier) and its typed outcome
