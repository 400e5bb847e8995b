//! The Diameter dictionary the S13 peer uses: commands, AVP codes and
//! result codes of the base protocol (IETF RFC 6733 §3.3, §4.5, §7.1) and
//! of S13 (3GPP TS 29.272 V18 §5.2.5 and §7.3: ME-Identity-Check, the
//! Terminal-Information AVPs, Equipment-Status), vendor 10415 (3GPP).

/// The 3GPP vendor identifier.
pub const VENDOR_3GPP: u32 = 10_415;
/// S13 / S13' application identifier.
pub const APP_S13: u32 = 16_777_252;
/// The relay application identifier (matches every application).
pub const APP_RELAY: u32 = 0xFFFF_FFFF;

/// Capabilities-Exchange-Request / Answer.
pub const CMD_CAPABILITIES_EXCHANGE: u32 = 257;
/// Device-Watchdog-Request / Answer.
pub const CMD_DEVICE_WATCHDOG: u32 = 280;
/// Disconnect-Peer-Request / Answer.
pub const CMD_DISCONNECT_PEER: u32 = 282;
/// ME-Identity-Check-Request / Answer (S13).
pub const CMD_ME_IDENTITY_CHECK: u32 = 324;

/// User-Name (the IMSI in S13).
pub const AVP_USER_NAME: u32 = 1;
/// Host-IP-Address.
pub const AVP_HOST_IP_ADDRESS: u32 = 257;
/// Auth-Application-Id.
pub const AVP_AUTH_APPLICATION_ID: u32 = 258;
/// Vendor-Specific-Application-Id (grouped).
pub const AVP_VENDOR_SPECIFIC_APPLICATION_ID: u32 = 260;
/// Session-Id.
pub const AVP_SESSION_ID: u32 = 263;
/// Origin-Host.
pub const AVP_ORIGIN_HOST: u32 = 264;
/// Supported-Vendor-Id.
pub const AVP_SUPPORTED_VENDOR_ID: u32 = 265;
/// Vendor-Id.
pub const AVP_VENDOR_ID: u32 = 266;
/// Result-Code.
pub const AVP_RESULT_CODE: u32 = 268;
/// Product-Name.
pub const AVP_PRODUCT_NAME: u32 = 269;
/// Auth-Session-State.
pub const AVP_AUTH_SESSION_STATE: u32 = 277;
/// Failed-AVP (grouped).
pub const AVP_FAILED_AVP: u32 = 279;
/// Error-Message.
pub const AVP_ERROR_MESSAGE: u32 = 281;
/// Destination-Realm.
pub const AVP_DESTINATION_REALM: u32 = 283;
/// Origin-Realm.
pub const AVP_ORIGIN_REALM: u32 = 296;
/// Experimental-Result (grouped).
pub const AVP_EXPERIMENTAL_RESULT: u32 = 297;
/// Experimental-Result-Code.
pub const AVP_EXPERIMENTAL_RESULT_CODE: u32 = 298;
/// Terminal-Information (3GPP, grouped).
pub const AVP_TERMINAL_INFORMATION: u32 = 1401;
/// IMEI (3GPP, UTF8String).
pub const AVP_IMEI: u32 = 1402;
/// Software-Version (3GPP, UTF8String, two digits).
pub const AVP_SOFTWARE_VERSION: u32 = 1403;
/// Equipment-Status (3GPP, Enumerated).
pub const AVP_EQUIPMENT_STATUS: u32 = 1445;

/// Equipment-Status: WHITELISTED.
pub const EQUIPMENT_WHITELISTED: u32 = 0;
/// Equipment-Status: BLACKLISTED.
pub const EQUIPMENT_BLACKLISTED: u32 = 1;
/// Equipment-Status: GREYLISTED.
pub const EQUIPMENT_GREYLISTED: u32 = 2;

/// Auth-Session-State: NO_STATE_MAINTAINED.
pub const NO_STATE_MAINTAINED: u32 = 1;

/// DIAMETER_SUCCESS.
pub const DIAMETER_SUCCESS: u32 = 2001;
/// DIAMETER_COMMAND_UNSUPPORTED (protocol error, E bit).
pub const DIAMETER_COMMAND_UNSUPPORTED: u32 = 3001;
/// DIAMETER_APPLICATION_UNSUPPORTED (protocol error, E bit).
pub const DIAMETER_APPLICATION_UNSUPPORTED: u32 = 3007;
/// DIAMETER_INVALID_HDR_BITS (protocol error, E bit).
pub const DIAMETER_INVALID_HDR_BITS: u32 = 3008;
/// DIAMETER_UNKNOWN_PEER (protocol error, E bit).
pub const DIAMETER_UNKNOWN_PEER: u32 = 3010;
/// DIAMETER_INVALID_AVP_VALUE.
pub const DIAMETER_INVALID_AVP_VALUE: u32 = 5004;
/// DIAMETER_MISSING_AVP.
pub const DIAMETER_MISSING_AVP: u32 = 5005;
/// DIAMETER_NO_COMMON_APPLICATION.
pub const DIAMETER_NO_COMMON_APPLICATION: u32 = 5010;
/// DIAMETER_INVALID_AVP_BITS.
pub const DIAMETER_INVALID_AVP_BITS: u32 = 3009;
/// DIAMETER_INVALID_AVP_LENGTH.
pub const DIAMETER_INVALID_AVP_LENGTH: u32 = 5014;
/// DIAMETER_INVALID_MESSAGE_LENGTH.
pub const DIAMETER_INVALID_MESSAGE_LENGTH: u32 = 5015;
/// DIAMETER_ERROR_EQUIPMENT_UNKNOWN (3GPP experimental result, TS 29.272
/// §7.4.3.1).
pub const DIAMETER_ERROR_EQUIPMENT_UNKNOWN: u32 = 5422;

/// Whether a Result-Code is a protocol error (3xxx: answered with E set).
pub fn is_protocol_error(code: u32) -> bool {
    (3000..4000).contains(&code)
}
