# not JSON: never reported
