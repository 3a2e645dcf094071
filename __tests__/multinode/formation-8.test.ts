/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c", "d", "e", "f", "g", "h"]}}
 */
import { describeFormation } from './helpers/formation';

describeFormation();
