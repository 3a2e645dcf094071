/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c", "d", "e"]}}
 */
import { describeFormation } from './helpers/formation';

describeFormation();
