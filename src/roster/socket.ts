/** The socket-name rule lives in spec/, where the adapters can use it too; the roster applies it. */
export { socketNameProblem } from "../spec/socket-name.js";
