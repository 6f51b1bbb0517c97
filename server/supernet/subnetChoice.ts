import type { SubnetChoice } from '../../contract/protocol';
import { extremeSubnet, type OfaSmallConfig, type SubnetArch } from './ofaSmallConfig';
import { OfaSmallSpace } from './ofaSmallSpace';

/**
 * The sub-network a choice names - the largest, the smallest, or an architecture `{ks, e, d, r}`
 * (parsed JSON) - checked against the supernet's choices; a SpecError with the path otherwise.
 */
export function resolveSubnet(choice: SubnetChoice | unknown, config: OfaSmallConfig): SubnetArch {
  if (choice === 'largest' || choice === 'smallest') return extremeSubnet(config, choice);
  const space = new OfaSmallSpace(config);
  return space.toSubnet(space.fromArch(choice));
}
