import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';

const { Packet } = dns2;

/**
 * A real DNS server (dns2) on a free UDP port of 127.0.0.1, for the domain verification tests: `records` maps a name
 * to its TXT records, each a list of strings (one record may be split into several, as long ones are); any other
 * name is NXDOMAIN. `silent` leaves every query unanswered, as a server that is down or filtered does. The address
 * is what `SSO_DNS_SERVERS` takes.
 */
export async function startTestDnsServer() {
  const records = new Map<string, string[][]>();
  const state = { silent: false };
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      if (state.silent) return;
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const found = question ? records.get(question.name.toLowerCase()) : undefined;
      if (!question || !found) response.header.rcode = Packet.RCODE.NXDOMAIN;
      else if (question.type === Packet.TYPE.TXT) {
        for (const data of found) {
          const answer = { name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data };
          // dns2's typings want an encoder method on each record; its packet encodes plain records (its README's way).
          response.answers.push(answer as unknown as (typeof response.answers)[number]);
        }
      }
      void send(response);
    },
  });
  const { udp } = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const { address, port } = udp as AddressInfo;
  return {
    address: `${address}:${port}`,
    records,
    state,
    stop: () => server.close(),
  };
}
