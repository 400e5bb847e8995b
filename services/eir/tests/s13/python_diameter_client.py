"""An independent S13 client: the `python-diameter` package (PyPI, pinned in
requirements.txt) builds the requests and parses the answers of
`spectra serve`'s Diameter peer; prints one JSON object of what it saw.

Usage: python3 python_diameter_client.py HOST PORT IMEI_BLACK IMEI_WHITE IMEI_GREY IMEI_UNKNOWN PAIRED_IMSI
"""
import json
import socket
import struct
import sys

from diameter.message import Message
from diameter.message.avp.grouped import TerminalInformation, VendorSpecificApplicationId
from diameter.message.commands import (CapabilitiesExchangeRequest, DeviceWatchdogRequest,
                                       DisconnectPeerRequest, MeIdentityCheckRequest)
from diameter.message.constants import AVP_TGPP_EQUIPMENT_STATUS, VENDOR_TGPP

host, port = sys.argv[1], int(sys.argv[2])
black, white, grey, unknown, paired = sys.argv[3:8]
S13 = 16777252


def recv_message(sock):
    head = b""
    while len(head) < 20:
        chunk = sock.recv(20 - len(head))
        if not chunk:
            return None
        head += chunk
    length = struct.unpack("!I", b"\0" + head[1:4])[0]
    body = b""
    while len(body) < length - 20:
        chunk = sock.recv(length - 20 - len(body))
        if not chunk:
            return None
        body += chunk
    return Message.from_bytes(head + body)


hop = [100]


def exchange(sock, msg):
    hop[0] += 1
    msg.header.hop_by_hop_identifier = hop[0]
    msg.header.end_to_end_identifier = hop[0]
    sock.sendall(msg.as_bytes())
    answer = recv_message(sock)
    assert answer.header.hop_by_hop_identifier == hop[0], "hop-by-hop identifier not echoed"
    assert answer.header.end_to_end_identifier == hop[0], "end-to-end identifier not echoed"
    return answer


def ecr(imei, sv=None, imsi=None):
    m = MeIdentityCheckRequest()
    m.header.application_id = S13
    m.session_id = f"mme.test;1;{hop[0]}"
    m.vendor_specific_application_id = VendorSpecificApplicationId(vendor_id=VENDOR_TGPP, auth_application_id=S13)
    m.auth_session_state = 1
    m.origin_host = b"mme.test"
    m.origin_realm = b"test"
    m.destination_realm = b"test"
    m.terminal_information = TerminalInformation(imei=imei, software_version=sv)
    if imsi:
        m.user_name = imsi
    return m


def status_of(answer):
    found = answer.find_avps((AVP_TGPP_EQUIPMENT_STATUS, VENDOR_TGPP))
    exp = answer.experimental_result
    code = exp.experimental_result_code if exp is not None else None
    status = found[0] if found else None
    status = getattr(status, "value", status)
    return {"result_code": answer.result_code, "equipment_status": status,
            "experimental_result_code": code}


out = {}
with socket.create_connection((host, port), timeout=5) as sock:
    cer = CapabilitiesExchangeRequest()
    cer.origin_host = b"mme.test"
    cer.origin_realm = b"test"
    cer.host_ip_address.append("127.0.0.1")
    cer.vendor_id = 10415
    cer.product_name = "python-diameter"
    cer.auth_application_id.append(S13)
    cea = exchange(sock, cer)
    out["cea"] = {"result_code": cea.result_code, "origin_host": cea.origin_host.decode()}
    out["black"] = status_of(exchange(sock, ecr(black[:14], "01")))
    out["white"] = status_of(exchange(sock, ecr(white)))
    out["grey"] = status_of(exchange(sock, ecr(grey)))
    out["unknown"] = status_of(exchange(sock, ecr(unknown)))
    out["paired"] = status_of(exchange(sock, ecr(black, imsi=paired)))
    out["malformed_imei"] = status_of(exchange(sock, ecr("35693803A")))
    dwr = DeviceWatchdogRequest()
    dwr.origin_host, dwr.origin_realm = b"mme.test", b"test"
    out["dwa"] = exchange(sock, dwr).result_code
    dpr = DisconnectPeerRequest()
    dpr.origin_host, dpr.origin_realm, dpr.disconnect_cause = b"mme.test", b"test", 0
    dpa = exchange(sock, dpr)
    out["dpa"] = dpa.result_code
    out["closed_after_dpa"] = sock.recv(1) == b""
print(json.dumps(out))
